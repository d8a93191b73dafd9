// The profile editor's actions: save (the host validates and answers every problem with its field), store the
// SIP password separately (it never comes back), delete.

import type { ApiError, TrunkProfile, TrunkProfileInput } from '../../../electron/common/index.js';
import type { SliceCreator } from './app-store.js';

export type SaveProfileOutcome = { ok: true; profile: TrunkProfile } | { ok: false; error: ApiError };

export interface ProfilesSlice {
  saveProfile(input: TrunkProfileInput, password: string | undefined): Promise<SaveProfileOutcome>;
  deleteProfile(profileId: string): Promise<void>;
}

export const createProfilesSlice: SliceCreator<ProfilesSlice> = (_set, get, api) => ({
  async saveProfile(input, password) {
    const saved = await api.invoke('profiles.save', input);
    if (!saved.ok) return { ok: false, error: saved.error };
    if (password !== undefined && password !== '') {
      const withPassword = await api.invoke('profiles.setPassword', { profileId: saved.value.id, password });
      if (!withPassword.ok) return { ok: false, error: withPassword.error };
      return { ok: true, profile: withPassword.value };
    }
    return { ok: true, profile: saved.value };
  },

  async deleteProfile(profileId) {
    const result = await api.invoke('profiles.delete', { profileId });
    if (!result.ok) get().addNotice('error', result.error.message);
  },
});
