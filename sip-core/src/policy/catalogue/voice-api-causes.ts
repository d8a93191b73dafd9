// Plivo's Voice API hangup causes (BEHAVIOUR.md Appendix A). They are NOT Zentrunk's: the two tables reuse the
// same four-digit numbers with different meanings (Voice 3000 "No Answer" is Zentrunk's normal hangup). The
// explainer keeps them only to say "this looks like a Voice API code" instead of explaining it wrongly.

export interface VoiceApiCause {
  readonly code: number;
  readonly name: string;
  readonly meaning: string;
}

const V = (code: number, name: string, meaning: string): VoiceApiCause => ({ code, name, meaning });

export const VOICE_API_CAUSES: readonly VoiceApiCause[] = [
  V(0, 'Unknown', 'The cause could not be determined.'),
  V(1000, 'Canceled', 'The call was cancelled through the API before it was answered.'),
  V(1010, 'Canceled (Out Of Credits)', 'The account ran out of credits.'),
  V(1020, 'Canceled (Simultaneous dial limit reached)', 'The simultaneous dial limit was reached.'),
  V(2000, 'Invalid Destination Address', 'The number or endpoint is invalid (use E.164).'),
  V(2010, 'Destination Out Of Service', 'The destination was unavailable.'),
  V(2020, 'Endpoint Not Registered', 'The SIP endpoint was not registered.'),
  V(2030, 'Destination Country Barred', 'The destination country is blocked by geo permissions.'),
  V(2040, 'Destination Number Barred', 'Calls to premium numbers are disabled.'),
  V(2050, 'Destination Prefix Barred', 'The prefix is not permitted.'),
  V(2060, 'Loop Detected', 'The B leg would have redialled the A leg.'),
  V(2070, 'Violates Media Anchoring', 'The call breaks India’s media-anchoring rules.'),
  V(3000, 'No Answer', 'The destination was unreachable or did not answer.'),
  V(3010, 'Busy Line', 'The destination was busy.'),
  V(3020, 'Rejected', 'The called party rejected the call.'),
  V(3030, 'Unknown Caller ID', 'A non-Plivo caller ID was used.'),
  V(3040, 'Forbidden', 'The destination is blocked.'),
  V(3050, 'Unallocated number', 'The number is invalid or out of service.'),
  V(3070, 'Request timeout', 'The carrier timed out.'),
  V(3080, 'Internal server error from carrier', 'The carrier had an internal error.'),
  V(3090, 'Network congestion from carrier', 'The carrier network was congested.'),
  V(3100, 'Busy everywhere', 'All destinations were busy.'),
  V(3110, 'Declined', 'The call was declined.'),
  V(3120, 'User does not exist anywhere', 'The user does not exist.'),
  V(3130, 'Spam block', 'The call was blocked as spam.'),
  V(3140, 'DNO Caller ID', 'The caller ID is on the Do-Not-Originate list.'),
  V(4000, 'Normal Hangup', 'The call ended normally.'),
  V(4010, 'End Of XML Instructions', 'The answer XML ran out of instructions.'),
  V(4020, 'Multiparty Call Ended', 'The multiparty call ended.'),
  V(4030, 'Kicked Out Of Multiparty Call', 'The participant was removed from a multiparty call.'),
  V(5000, 'Network Error', 'A network error occurred.'),
  V(5010, 'Internal Error', 'Plivo had an internal error.'),
  V(5020, 'Routing Error', 'The call could not be routed.'),
  V(6000, 'Scheduled Hangup', 'The maximum duration (time_limit) was reached.'),
  V(6010, 'Ring Timeout Reached', 'Nobody answered within the ring timeout.'),
  V(6020, 'Media Timeout', 'No media arrived for 60 seconds.'),
  ...[7011, 7012, 7013, 7014].map((code) =>
    V(
      code,
      'Error Reaching Answer/Action/Transfer/Redirect URL',
      'Plivo could not reach an application URL.',
    ),
  ),
  ...[7022, 7023, 7024].map((code) =>
    V(code, 'Invalid Action/Transfer/Redirect URL', 'An application URL was invalid.'),
  ),
  ...[7032, 7033, 7034].map((code) =>
    V(code, 'Invalid Method For Action/Transfer/Redirect URL', 'An application URL used an invalid method.'),
  ),
  ...[8011, 8012, 8013, 8014].map((code) =>
    V(code, 'Invalid Answer/Action/Transfer/Redirect XML', 'An application returned invalid XML.'),
  ),
  V(9000, 'Lost Race', 'Another leg answered first.'),
  V(9100, 'Machine Detected', 'An answering machine was detected.'),
  V(9110, 'Confirm Key Challenge Failed', 'The callee did not press the confirm key.'),
];
