/**
 * Runs the features' recurring jobs on cron schedules in LINLI_TIMEZONE (croner). Jobs are
 * written to be idempotent and to catch up on their own (a poll whose closing time passed while
 * the bot was down is closed on the next run), so the scheduler only has to fire them; a job
 * still running when its next tick comes is not started twice.
 */
import { Cron } from 'croner';
import type { JobDef } from '../core/feature.ts';
import type { Services } from '../core/services.ts';

/** The running scheduler. */
export class Scheduler {
  private readonly crons: Cron[] = [];
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly services: Services,
    private readonly jobs: JobDef[],
  ) {}

  /** Starts every job; each also runs once right away to catch up on anything missed. */
  start(): void {
    for (const job of this.jobs) {
      const cron = new Cron(job.cron, { timezone: this.services.config.LINLI_TIMEZONE, protect: true, unref: true }, () => this.run(job.name));
      this.crons.push(cron);
      void this.run(job.name);
    }
  }

  /** Runs one job now (used at start-up, by tests and by CLI commands). */
  async run(name: string): Promise<void> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) throw new Error(`unknown job ${name}`);
    const p = job.run(this.services, this.services.clock()).catch((err) => this.services.log.error({ err, job: name }, 'job failed'));
    this.running.add(p);
    await p.finally(() => this.running.delete(p));
  }

  /** Names of the registered jobs. */
  get names(): string[] {
    return this.jobs.map((j) => j.name);
  }

  /** Stops firing and waits for jobs in progress. */
  async stop(): Promise<void> {
    for (const c of this.crons) c.stop();
    await Promise.allSettled([...this.running]);
  }
}
