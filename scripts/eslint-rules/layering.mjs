// ESLint rule `trunkline/layering`: every import must follow the table in ./layers.mjs (docs/architecture.md).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZONES, zoneOf } from './layers.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * @param {string} file absolute path
 * @param {string} root
 */
function relativeToRoot(file, root) {
  return path.relative(root, file).split(path.sep).join('/');
}

/**
 * @param {string} specifier
 * @param {string[]} patterns
 */
function matchesPackage(specifier, patterns) {
  return patterns.some((p) => (p.endsWith('*') ? specifier.startsWith(p.slice(0, -1)) : specifier === p));
}

/**
 * @param {string} targetRel
 * @param {string} targetZone
 * @param {string[]} allow
 */
function isAllowed(targetRel, targetZone, allow) {
  return allow.some((a) => a === '*' || a === targetZone || (a.endsWith('/') && targetRel.startsWith(a)));
}

/** @type {import('eslint').Rule.RuleModule} */
export const layeringRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports must follow the layering table of docs/architecture.md' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      badLayer:
        "Bad layering: {{from}} may not import {{to}} ('{{source}}'). See docs/architecture.md, 'Who may import whom'.",
      badPackage: "Bad layering: {{from}} may not import the package '{{source}}'.",
      typeOnly: "Bad layering: {{from}} may import {{to}} only with 'import type' ('{{source}}').",
      unknownZone:
        "'{{file}}' is not in a known layer; add its folder to scripts/eslint-rules/layers.mjs and docs/architecture.md.",
    },
  },
  create(context) {
    const options = /** @type {{ root?: string }} */ (context.options[0] ?? {});
    const root = options.root ?? REPO_ROOT;
    const fileRel = relativeToRoot(context.filename, root);
    const fromZone = zoneOf(fileRel);
    const rule = ZONES[fromZone];

    /**
     * @param {import('estree').Node} node
     * @param {unknown} sourceValue
     * @param {boolean} typeOnly
     */
    function check(node, sourceValue, typeOnly) {
      if (typeof sourceValue !== 'string') return;
      const source = sourceValue;
      if (!rule) {
        context.report({ node, messageId: 'unknownZone', data: { file: fileRel } });
        return;
      }
      if (!source.startsWith('.') && !source.startsWith('/')) {
        if (rule.forbidPackages && matchesPackage(source, rule.forbidPackages)) {
          context.report({ node, messageId: 'badPackage', data: { from: fromZone, source } });
        }
        return;
      }
      const targetAbs = path.resolve(path.dirname(context.filename), source);
      const targetRel = relativeToRoot(targetAbs, root);
      // Imports are written with '.js' (NodeNext); the zone is decided by the folder, so the extension is moot.
      const targetZone = zoneOf(targetRel);
      if (targetZone === fromZone) return;
      if (!isAllowed(targetRel, targetZone, rule.allow)) {
        context.report({ node, messageId: 'badLayer', data: { from: fromZone, to: targetZone, source } });
        return;
      }
      if (rule.typeOnly?.includes(targetZone) && !typeOnly) {
        context.report({ node, messageId: 'typeOnly', data: { from: fromZone, to: targetZone, source } });
      }
    }

    return {
      ImportDeclaration(node) {
        const kind = /** @type {{ importKind?: string }} */ (/** @type {unknown} */ (node)).importKind;
        check(node, node.source.value, kind === 'type');
      },
      ExportNamedDeclaration(node) {
        if (!node.source) return;
        const kind = /** @type {{ exportKind?: string }} */ (/** @type {unknown} */ (node)).exportKind;
        check(node, node.source.value, kind === 'type');
      },
      ExportAllDeclaration(node) {
        const kind = /** @type {{ exportKind?: string }} */ (/** @type {unknown} */ (node)).exportKind;
        check(node, node.source.value, kind === 'type');
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value, false);
      },
    };
  },
};

export default { rules: { layering: layeringRule } };
