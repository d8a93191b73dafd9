// The 14 networks Zentrunk sends signalling and media from (BEHAVIOUR.md §2.2, grade D, quickstart page). Plivo
// advises allowing all of them, because a call may be routed through another region during an incident; the
// technical-specifications page lists only eight (§17), which would drop calls from São Paulo, Singapore and
// Mumbai. They are the default of a profile's `allowedInboundSources` (toll-fraud protection, ADR 0093).

export const ZENTRUNK_SIGNALLING_CIDRS: readonly string[] = Object.freeze([
  // North California, USA
  '13.52.9.0/25',
  '216.120.187.128/26',
  // Virginia, USA
  '18.214.109.128/25',
  '18.215.142.0/26',
  '204.89.148.128/26',
  // Frankfurt, DE
  '3.120.121.128/26',
  // São Paulo, BR
  '18.228.70.64/26',
  '54.233.191.0/27',
  // Sydney, AU
  '13.238.202.192/26',
  // Singapore
  '18.136.1.128/26',
  '204.89.149.128/27',
  // India (Mumbai)
  '15.207.90.192/31',
  '204.89.151.128/27',
  '204.89.151.160/27',
]);
