import { z } from 'zod';
import { isHttpsUrl } from './addresses.js';

const hexColour = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/;

function colour(fallback: string) {
  return z
    .string({ error: 'Colours must be text' })
    .trim()
    .toLowerCase()
    .regex(hexColour, { error: 'Colours must be a hex code like #1a2b3c or #abc' })
    .default(fallback);
}

// An allowlist rather than a denylist: the value ends up inside CSS `url("…")`, where a quote,
// parenthesis, backslash or space could end the string and start new declarations.
const cssSafeUrlCharacters = /^[A-Za-z0-9\-._~:/?#[\]@!$&*+,=%]+$/;

// Each family is quoted with matching quotes or not at all, so a stray quote can never open a
// CSS string that swallows the declarations after it.
const fontName = ` *(?:"[A-Za-z0-9 -]+"|'[A-Za-z0-9 -]+'|[A-Za-z0-9 -]*[A-Za-z0-9-]) *`;
const fontList = new RegExp(`^${fontName}(?:,${fontName})*$`);

/** The system font stack: fast, familiar on every device and no third-party font requests. */
export const defaultFontFamily =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/**
 * How a tenant looks. Every field has a default, so `{}` is a valid (plain, accessible) brand,
 * and every value is constrained tightly enough to be written into CSS without escaping.
 */
export const brandingSchema = z
  .strictObject({
    /**
     * The organisation's logo: an https URL or a path on the same site.
     * @example 'https://cdn.example.org/logo.svg'
     * @example '/brand/logo.svg'
     */
    logoUrl: z
      .string({ error: 'Logo URL must be text' })
      .trim()
      .max(2048, { error: 'Logo URL must be at most 2048 characters', abort: true })
      .regex(cssSafeUrlCharacters, {
        error:
          "Logo URL can't contain spaces, quotes, parentheses, backslashes or other characters that aren't safe in a web address",
        abort: true,
      })
      .refine(
        // `//host/x` is relative to the scheme, not the site, and would load from anywhere.
        (value) => (value.startsWith('/') && !value.startsWith('//')) || isHttpsUrl(value),
        { error: 'Logo URL must start with https:// or be a path starting with a single /' },
      )
      .optional(),
    /** Brand colours as hex codes (`#rgb` or `#rrggbb`), stored lower-case. */
    colors: z
      .strictObject({
        /**
         * Buttons, links and the header.
         * @default '#5b2a86'
         */
        primary: colour('#5b2a86'),
        /**
         * Text and icons drawn on the primary colour.
         * @default '#ffffff'
         */
        onPrimary: colour('#ffffff'),
        /**
         * Highlights such as badges and focus rings.
         * @default '#f4a259'
         */
        accent: colour('#f4a259'),
        /**
         * The page behind everything.
         * @default '#ffffff'
         */
        background: colour('#ffffff'),
        /**
         * Cards, panels and message bubbles.
         * @default '#f5f3f7'
         */
        surface: colour('#f5f3f7'),
        /**
         * Body text.
         * @default '#1f1a24'
         */
        text: colour('#1f1a24'),
        /**
         * Errors and destructive actions.
         * @default '#b3261e'
         */
        danger: colour('#b3261e'),
      })
      .prefault({}),
    /**
     * Corner radius of cards and buttons, in pixels.
     * @default 8
     */
    radius: z
      .number({ error: 'Radius must be a number of pixels' })
      .min(0, { error: 'Radius must be from 0 to 32 pixels' })
      .max(32, { error: 'Radius must be from 0 to 32 pixels' })
      .default(8),
    /**
     * A CSS font-family list. Web fonts must be loaded by the app; this only names them.
     * @default defaultFontFamily
     * @example '"Atkinson Hyperlegible", Arial, sans-serif'
     */
    fontFamily: z
      .string({ error: 'Font family must be text' })
      .trim()
      .max(200, { error: 'Font family must be at most 200 characters', abort: true })
      .regex(/^[A-Za-z0-9 ,'"-]+$/, {
        error: 'Font family can only use letters, numbers, spaces, commas, quotes and dashes',
        abort: true,
      })
      .regex(fontList, {
        error:
          'Font family must be a comma-separated list of font names, each in matching quotes or none',
      })
      .default(defaultFontFamily),
  })
  .prefault({});

export type Branding = z.output<typeof brandingSchema>;
export type BrandingInput = z.input<typeof brandingSchema>;

/**
 * Turns a tenant's branding into CSS custom properties that Hearth's UI reads.
 *
 * The branding is parsed again here, because this is where values reach CSS: an object that was
 * built by hand rather than by `parseTenantConfig` is checked before it can inject styles.
 *
 * @throws ZodError if the branding is not valid.
 * @example
 * brandingToCssVariables(config.branding)['--hearth-color-primary'] // '#5b2a86'
 */
export function brandingToCssVariables(branding: Branding): Record<string, string> {
  const { logoUrl, colors, radius, fontFamily } = brandingSchema.parse(branding);
  const variables: Record<string, string> = {
    '--hearth-color-primary': colors.primary,
    '--hearth-color-on-primary': colors.onPrimary,
    '--hearth-color-accent': colors.accent,
    '--hearth-color-background': colors.background,
    '--hearth-color-surface': colors.surface,
    '--hearth-color-text': colors.text,
    '--hearth-color-danger': colors.danger,
    '--hearth-radius': `${radius}px`,
    '--hearth-font-family': fontFamily,
  };
  if (logoUrl !== undefined) variables['--hearth-logo-url'] = `url("${logoUrl}")`;
  return variables;
}

const variableName = /^--hearth-[a-z0-9-]+$/;
// Characters that could end a declaration or a <style> element. Validated branding never
// contains them; refusing them here keeps hand-made variables from doing so either.
const unsafeInDeclaration = /[;{}<>\\\p{Cc}]/u;

/**
 * Serialises CSS variables for a `style` attribute or a `:root { … }` rule.
 *
 * @throws Error if a name is not a `--hearth-` variable or a value could break out of its
 *   declaration.
 * @example
 * cssVariablesToStyleText({ '--hearth-radius': '8px', '--hearth-color-text': '#111111' })
 * // '--hearth-radius: 8px; --hearth-color-text: #111111'
 */
export function cssVariablesToStyleText(variables: Readonly<Record<string, string>>): string {
  return Object.entries(variables)
    .map(([name, value]) => {
      if (!variableName.test(name)) throw new Error(`Not a Hearth CSS variable: ${name}`);
      if (unsafeInDeclaration.test(value)) {
        throw new Error(`CSS variable ${name} has a value that is not safe to write into CSS`);
      }
      return `${name}: ${value}`;
    })
    .join('; ');
}
