/** Outlook's manifest limits (reference §4.1). */
export const MANIFEST_MAX_BYTES = 256 * 1024;
export const MAX_ACTIVATION_RULES = 15;
export const MAX_REGEXES = 5;
/** Sizes Outlook accepts for command icons (`bt:Image size`), desktop and mobile. */
export const DESKTOP_ICON_SIZES = [16, 20, 24, 32, 40, 48, 64, 80];
export const MOBILE_ICON_SIZES = [25, 32, 48];
export const REQUIRED_DESKTOP_ICON_SIZES = [16, 32, 80];
export const REQUIRED_MOBILE_ICON_SIZES = [25, 32, 48];
