import type { Language } from '../languages';
import type { Messages } from './en';
import { en } from './en';
import { es } from './es';
import { id } from './id';
import { ko } from './ko';
import { pt } from './pt';
import { zh } from './zh';

export type { MessageKey, Messages } from './en';

/** Every language's messages, keyed by language. */
export const MESSAGES: Record<Language, Messages> = { en, es, ko, pt, zh, id };
