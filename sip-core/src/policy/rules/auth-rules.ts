// Authentication (BEHAVIOUR.md §4.2 #5–6, §20): IP ACL trunks are never challenged; credential trunks get a
// digest challenge on the first INVITE; wrong credentials or a source outside the ACL get 403 + 4180. With both
// an ACL and credentials, either suffices by default ("IP ACL, credentials, or both").

import { networkContains, parseIpAddress } from '../net/ip-address.js';
import {
  fail,
  pass,
  unknown,
  type PolicyRule,
  type RuleContext,
  type RuleResult,
} from '../engine/policy-rule.js';
import { reject } from './reject.js';

const forbidden = (detail: string): RuleResult => fail(detail, reject(403, 'Forbidden', 4180, 'O'));

function challenge(context: RuleContext, detail: string): RuleResult {
  const { settings, trunk } = context;
  const proxy = settings.authChallenge === '407';
  return fail(detail, {
    kind: 'challenge',
    status: proxy ? 407 : 401,
    reasonPhrase: proxy ? 'Proxy Authentication Required' : 'Unauthorized',
    realm: trunk ? context.view.trunkDomainOf(trunk) : '',
    algorithms: settings.digestSha256 ? ['SHA-256', 'MD5'] : ['MD5'],
    responseGrade: proxy ? 'O' : 'I',
  });
}

export const authentication: PolicyRule = {
  id: 'auth.acl-or-digest',
  title: 'Source IP in the IP ACL and/or valid digest credentials',
  section: '§4.2 #5–6, §20',
  grade: 'O',
  check(context) {
    const { trunk, attempt, settings } = context;
    if (!trunk) return unknown('The trunk is not known');
    const networks = context.view.aclOf(trunk);
    const hasCredentials = trunk.credential_uuid !== null;
    const sourceIp = attempt.source?.ip;
    let aclOk: boolean | undefined;
    if (networks !== undefined) {
      if (sourceIp === undefined) aclOk = undefined;
      else {
        const address = parseIpAddress(sourceIp);
        aclOk = address !== undefined && networks.some((n) => networkContains(n, address));
      }
    }
    const auth = attempt.auth;
    const credentialState =
      auth === undefined
        ? undefined
        : auth.state === 'valid'
          ? auth.credential_uuid === trunk.credential_uuid
            ? 'valid'
            : 'invalid'
          : auth.state;

    if (settings.aclAndCredentials === 'either' && aclOk === true) {
      return pass(`Source ${sourceIp ?? ''} is in the trunk’s IP ACL`);
    }
    if (networks !== undefined && aclOk === undefined) return unknown('The source IP is not known');
    if (!hasCredentials) {
      return aclOk === true
        ? pass(`Source ${sourceIp ?? ''} is in the trunk’s IP ACL`)
        : forbidden(`Source ${sourceIp ?? ''} is not in the IP ACL of trunk ${trunk.trunk_id}`);
    }
    if (settings.aclAndCredentials === 'both' && aclOk === false) {
      return forbidden(
        `Source ${sourceIp ?? ''} is not in the IP ACL of trunk ${trunk.trunk_id} (both required)`,
      );
    }
    if (credentialState === undefined)
      return unknown('Whether the request carries valid credentials is not known');
    if (credentialState === 'none') {
      return challenge(
        context,
        `Trunk ${trunk.trunk_id} authenticates with credentials: the first INVITE is challenged`,
      );
    }
    if (credentialState === 'invalid') {
      return forbidden(`The credentials do not match trunk ${trunk.trunk_id}’s credential list`);
    }
    return pass(
      networks === undefined || aclOk === true
        ? 'Valid digest credentials'
        : 'Valid digest credentials (the source IP is outside the ACL, but either suffices)',
    );
  },
};
