// Entry of the fake Bot API worker thread: loads tsx, then the TypeScript worker (fakeWorker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./fakeWorker.ts');
