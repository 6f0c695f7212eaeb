// A lint rule that keeps Linli's layers apart: every relative import is resolved to the file it
// names, both files are placed in a layer by their path, and the import is reported unless the
// importer's layer may depend on the target's. The table below is the rule ARCHITECTURE.md
// describes; change both together.
import { dirname, relative, resolve } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** Layers by path (first match wins), relative to the repository root. */
const LAYERS = [
  ['platform', /^src\/platform\//],
  ['adapters', /^src\/adapters\//],
  ['generated', /^src\/generated\//],
  ['db', /^src\/db\//],
  ['lib', /^src\/(log\.ts|config\.ts|i18n\/)/],
  ['render', /^src\/(charts|export)\//],
  ['domain', /^src\/domain\//],
  ['infra', /^src\/(outbox|http)\//],
  ['core', /^src\/(core|scheduler)\//],
  ['engine', /^src\/engine\//],
  ['scenes', /^scenes\//],
  ['features', /^src\/features(\/|\.ts$)/],
  ['app', /^src\/(app\/|index\.ts|cli\/)/],
];

const BASE = ['platform', 'generated', 'db', 'lib'];
/** What each layer may import (besides itself). */
const MAY_IMPORT = {
  platform: [],
  adapters: ['platform'],
  generated: [],
  db: ['generated', 'lib'],
  lib: ['platform'],
  render: ['lib', 'platform'],
  domain: [...BASE],
  infra: [...BASE, 'domain'],
  core: [...BASE, 'domain', 'infra'],
  engine: [...BASE, 'domain', 'infra', 'core'],
  scenes: [...BASE, 'domain', 'infra', 'core', 'engine', 'render'],
  features: [...BASE, 'domain', 'infra', 'core', 'engine', 'scenes', 'render'],
  app: [...BASE, 'domain', 'infra', 'core', 'engine', 'scenes', 'render', 'features', 'adapters'],
};

/** Packages that only their adapter may load. */
const PLATFORM_PACKAGES = [/^telegraf(\/|$)/, /^wechaty(-|\/|$)/, /^file-box$/];

function layerOf(file) {
  const rel = relative(ROOT, file).split('\\').join('/');
  for (const [name, re] of LAYERS) if (re.test(rel)) return name;
  return null;
}

export default {
  rules: {
    layers: {
      meta: {
        type: 'problem',
        docs: { description: "imports follow Linli's layers (see ARCHITECTURE.md)" },
        schema: [],
        messages: {
          layer: '{{from}} must not import {{to}} ({{spec}}): see ARCHITECTURE.md, "The rule".',
          platformPackage: '{{pkg}} may be imported only inside src/adapters/.',
        },
      },
      create(context) {
        const file = context.filename;
        const from = layerOf(file);
        if (!from) return {};
        const check = (node, spec) => {
          if (typeof spec !== 'string') return;
          if (!spec.startsWith('.')) {
            if (from !== 'adapters' && PLATFORM_PACKAGES.some((re) => re.test(spec))) context.report({ node, messageId: 'platformPackage', data: { pkg: spec } });
            return;
          }
          const to = layerOf(resolve(dirname(file), spec));
          if (!to || to === from || MAY_IMPORT[from].includes(to)) return;
          context.report({ node, messageId: 'layer', data: { from, to, spec } });
        };
        return {
          ImportDeclaration: (node) => check(node.source, node.source.value),
          ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
          ExportAllDeclaration: (node) => check(node.source, node.source.value),
          ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
        };
      },
    },
  },
};
