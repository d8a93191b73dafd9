// Geo permissions and the premium allow list (BEHAVIOUR.md §12.4): which destination countries are enabled or
// barred (4560/4650 when barred), and the premium or high-risk prefixes support has unblocked.

import { problemAt, type SectionProps } from './account-draft.js';
import { ListField } from './editor-fields.js';

export function PermissionsSection({ draft, issues, onChange }: SectionProps) {
  const permissions = draft.permissions;
  const geo = permissions.geo;
  const setGeo = (next: Partial<typeof geo>) =>
    onChange({ ...draft, permissions: { ...permissions, geo: { ...geo, ...next } } });
  return (
    <section className="editor-section" aria-labelledby="editor-permissions" data-testid="editor-permissions">
      <h4 id="editor-permissions">Geo permissions and premium numbers</h4>
      <div className="form-grid">
        <ListField
          label="Allowed countries"
          testId="geo-allowed"
          value={geo.allowed_countries ?? []}
          placeholder="all countries"
          help="ISO codes such as US, GB; empty allows every country."
          problem={problemAt(issues, 'permissions.geo.allowed_countries')}
          onChange={(countries) => {
            const next = { ...geo };
            if (countries.length === 0) delete (next as { allowed_countries?: unknown }).allowed_countries;
            else (next as { allowed_countries?: string[] }).allowed_countries = countries;
            onChange({ ...draft, permissions: { ...permissions, geo: next } });
          }}
        />
        <ListField
          label="Barred countries"
          testId="geo-barred"
          value={geo.barred_countries}
          placeholder="none"
          help="Calls there are refused (geo block)."
          problem={problemAt(issues, 'permissions.geo.barred_countries')}
          onChange={(countries) => setGeo({ barred_countries: countries })}
        />
        <ListField
          label="Premium allow list"
          testId="premium-allow-list"
          value={permissions.premium_allow_list}
          placeholder="none"
          help="Prefixes such as +882 unblocked by support."
          problem={problemAt(issues, 'permissions.premium_allow_list')}
          onChange={(prefixes) =>
            onChange({ ...draft, permissions: { ...permissions, premium_allow_list: prefixes } })
          }
        />
      </div>
    </section>
  );
}
