import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import { layeringRule } from './layering.mjs';

RuleTester.describe = describe;
RuleTester.it = it;

const root = '/repo';
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, sourceType: 'module' } });
const at = (file: string) => `${root}/${file}`;
const options = [{ root }];

// Each case is an arrow of docs/architecture.md's table, allowed or not.
tester.run('trunkline/layering', layeringRule, {
  valid: [
    {
      filename: at('sip-core/src/sip/transport/udp.ts'),
      code: "import { systemClock } from '../../common/clock.js';",
      options,
    },
    {
      filename: at('sip-core/src/policy/evaluate.ts'),
      code: "import type { SipRequest } from '../sip/message/model.js';",
      options,
    },
    {
      filename: at('sip-core/src/policy/evaluate.ts'),
      code: "import { parseSdp } from '../media/sdp/parse.js';",
      options,
    },
    { filename: at('sip-core/src/ua/call.ts'), code: "import { Inviter } from 'sip.js';", options },
    {
      filename: at('sip-core/src/checks/run.ts'),
      code: "import { Emulator } from '../emulator/emulator.js';",
      options,
    },
    {
      filename: at('sip-core/test/sip/parse.test.ts'),
      code: "import { parse } from '../../src/sip/message/parse.js';",
      options,
    },
    {
      filename: at('electron/host/phone-service.ts'),
      code: "import { Emulator } from '../../sip-core/src/index.js';",
      options,
    },
    {
      filename: at('renderer/src/bridge.ts'),
      code: "import type { PhoneApi } from '../../electron/common/phone-api.js';",
      options,
    },
  ],
  invalid: [
    {
      filename: at('sip-core/src/sip/transaction/ict.ts'),
      code: "import { x } from '../../media/rtp/packet.js';",
      options,
      errors: [{ messageId: 'badLayer' }],
    },
    {
      filename: at('sip-core/src/media/session.ts'),
      code: "export { y } from '../sip/message/model.js';",
      options,
      errors: [{ messageId: 'badLayer' }],
    },
    {
      filename: at('sip-core/src/policy/evaluate.ts'),
      code: "import { UdpTransport } from '../sip/transport/udp.js';",
      options,
      errors: [{ messageId: 'badLayer' }],
    },
    {
      filename: at('sip-core/src/policy/evaluate.ts'),
      code: "import dgram from 'node:dgram';",
      options,
      errors: [{ messageId: 'badPackage' }],
    },
    {
      filename: at('sip-core/src/emulator/emulator.ts'),
      code: "import { Phone } from '../ua/phone.js';",
      options,
      errors: [{ messageId: 'badLayer' }],
    },
    {
      filename: at('sip-core/src/ua/phone.ts'),
      code: "import { Emulator } from '../emulator/emulator.js';",
      options,
      errors: [{ messageId: 'badLayer' }],
    },
    {
      filename: at('sip-core/src/emulator/emulator.ts'),
      code: "const m = await import('../diagnostics/ladder.js');",
      options,
      errors: [{ messageId: 'badLayer' }],
    },
    {
      filename: at('sip-core/src/sip/parser.ts'),
      code: "import { Grammar } from 'sip.js';",
      options,
      errors: [{ messageId: 'badPackage' }],
    },
    {
      filename: at('sip-core/src/common/clock.ts'),
      code: "import { x } from '../sip/message/model.js';",
      options,
      errors: [{ messageId: 'badLayer' }],
    },
    {
      filename: at('electron/host/phone-service.ts'),
      code: "import { UdpTransport } from '../../sip-core/src/sip/transport/udp.js';",
      options,
      errors: [{ messageId: 'badLayer' }],
    },
    {
      filename: at('electron/host/phone-service.ts'),
      code: "import { app } from 'electron';",
      options,
      errors: [{ messageId: 'badPackage' }],
    },
    {
      filename: at('renderer/src/bridge.ts'),
      code: "import { PHONE_CHANNELS } from '../../electron/common/phone-api.js';",
      options,
      errors: [{ messageId: 'typeOnly' }],
    },
    {
      filename: at('renderer/src/bridge.ts'),
      code: "import fs from 'node:fs';",
      options,
      errors: [{ messageId: 'badPackage' }],
    },
    {
      filename: at('sip-core/src/mystery/thing.ts'),
      code: "import { x } from '../common/clock.js';",
      options,
      errors: [{ messageId: 'unknownZone' }],
    },
  ],
});
