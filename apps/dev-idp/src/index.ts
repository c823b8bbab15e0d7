export { startDevIdp, type DevIdp, type DevIdpClient, type DevIdpOptions } from './dev-idp.js';
export {
  AUTH0_ROLES_CLAIM,
  DEFAULT_USERS,
  PROFILES,
  type DevIdpProfile,
  type DevIdpUser,
} from './profiles.js';
export { tamperIdToken, type IdTokenTamper, type TamperSigning } from './tamper.js';
