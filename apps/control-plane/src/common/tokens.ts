/** DI tokens for values that are not classes. */
export const CONFIG = Symbol('CONFIG');
export const DB = Symbol('DB');
export const KEYS = Symbol('KEYS');
export const LOGGER = Symbol('LOGGER');
