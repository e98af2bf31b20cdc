// Semantic colours (gemini-cli's semantic-colors pattern): components ask for a role, never a colour name.
// With NO_COLOR set (https://no-color.org) every role is undefined, so Ink prints no colour at all; selection and
// emphasis then rely on inverse and bold, which are not colours.

export interface Theme {
  /** Titles, the active tab, keys in help. */
  accent: string | undefined;
  /** Secondary text: labels, hints, borders. */
  muted: string | undefined;
  /** Failed calls, INVALID integrity, high findings. */
  danger: string | undefined;
  /** Gaps, partial data, medium findings. */
  warning: string | undefined;
  /** Proven integrity, successful sign-ins. */
  success: string | undefined;
  /** Histogram bars. */
  bar: string | undefined;
  /** The selected histogram window. */
  window: string | undefined;
  /** Whether colour is on at all. */
  color: boolean;
}

const COLOURS: Theme = {
  accent: 'cyan',
  muted: 'gray',
  danger: 'red',
  warning: 'yellow',
  success: 'green',
  bar: 'blue',
  window: 'magenta',
  color: true,
};

const PLAIN: Theme = {
  accent: undefined,
  muted: undefined,
  danger: undefined,
  warning: undefined,
  success: undefined,
  bar: undefined,
  window: undefined,
  color: false,
};

/** The theme for an environment: no colour when NO_COLOR is set to anything but the empty string. */
export function themeFor(env: NodeJS.ProcessEnv = process.env): Theme {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '' ? PLAIN : COLOURS;
}

export const plainTheme = PLAIN;
