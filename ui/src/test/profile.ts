import type { Profile } from '../ipc';

/** Anna, signed in to the sample directory, as Rust's profile describes her. */
export const anna: Profile = {
  admin: { displayName: 'Anna Lindqvist', userPrincipalName: 'anna.lindqvist@contoso-sample.se' },
  organisation: { displayName: 'Contoso (sample)', tenantId: 't-1', defaultDomain: 'contoso-sample.se' },
  cloud: 'sample',
  method: 'browser',
  roles: [],
  rolesFrom: 'signIn',
  capabilities: [],
  missingPermissions: [],
};
