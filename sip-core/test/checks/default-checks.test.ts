// The default check assembly the CLI and the desktop host share: every check in exactly one family, in a run
// order the runner accepts (dependencies first), and a runner over all of them.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CHECK_FAMILIES,
  DEFAULT_CHECKS,
  checkFamilyOf,
  createDefaultCheckRunner,
} from '../../src/checks/index.js';
import { ManualClock } from '../../src/common/manual-clock.js';

describe('the default checks', () => {
  it('are the families’ checks in order, each in exactly one family', () => {
    expect(DEFAULT_CHECKS).toEqual(DEFAULT_CHECK_FAMILIES.flatMap((f) => f.checks));
    expect(new Set(DEFAULT_CHECKS.map((c) => c.id)).size).toBe(DEFAULT_CHECKS.length);
    for (const check of DEFAULT_CHECKS) expect(checkFamilyOf(check.id)?.checks).toContain(check);
    expect(checkFamilyOf('no-such-check')).toBeUndefined();
  });

  it('include the network checks, and a runner plans all of them with dependencies first', () => {
    expect(DEFAULT_CHECKS.map((c) => c.id)).toEqual(
      expect.arrayContaining(['dns', 'tls', 'options', 'auth']),
    );
    const runner = createDefaultCheckRunner({ clock: new ManualClock() });
    const order = runner.plan().ids;
    expect([...order].sort()).toEqual(DEFAULT_CHECKS.map((c) => c.id).sort());
    for (const check of DEFAULT_CHECKS) {
      for (const dependency of check.dependsOn) {
        expect(order.indexOf(dependency), `${dependency} before ${check.id}`).toBeLessThan(
          order.indexOf(check.id),
        );
      }
    }
    expect(runner.plan({ only: ['auth'] }).pulledIn).toEqual(expect.arrayContaining(['options']));
  });
});
