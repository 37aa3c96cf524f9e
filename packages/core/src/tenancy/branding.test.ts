import { describe, expect, it } from 'vitest';
import {
  type Branding,
  brandingSchema,
  brandingToCssVariables,
  cssVariablesToStyleText,
  defaultFontFamily,
} from './branding.js';

const defaults = brandingSchema.parse({});

describe('brandingToCssVariables', () => {
  it('maps every branding value to a --hearth- variable', () => {
    const branding = brandingSchema.parse({
      logoUrl: 'https://cdn.example.org/logo.svg',
      colors: { primary: '#123456', onPrimary: '#FFF' },
      radius: 12.5,
      fontFamily: '"Atkinson Hyperlegible", sans-serif',
    });
    expect(brandingToCssVariables(branding)).toEqual({
      '--hearth-color-primary': '#123456',
      '--hearth-color-on-primary': '#fff',
      '--hearth-color-accent': '#f4a259',
      '--hearth-color-background': '#ffffff',
      '--hearth-color-surface': '#f5f3f7',
      '--hearth-color-text': '#1f1a24',
      '--hearth-color-danger': '#b3261e',
      '--hearth-radius': '12.5px',
      '--hearth-font-family': '"Atkinson Hyperlegible", sans-serif',
      '--hearth-logo-url': 'url("https://cdn.example.org/logo.svg")',
    });
  });

  it('leaves out the logo variable when there is no logo', () => {
    const variables = brandingToCssVariables(defaults);
    expect(Object.hasOwn(variables, '--hearth-logo-url')).toBe(false);
    expect(variables['--hearth-radius']).toBe('8px');
    expect(variables['--hearth-font-family']).toBe(defaultFontFamily);
  });

  it('refuses branding that did not pass validation', () => {
    const forged = {
      ...defaults,
      colors: { ...defaults.colors, primary: 'red; } body { display: none' },
    } satisfies Branding;
    expect(() => brandingToCssVariables(forged)).toThrow('Colours must be a hex code');
    const forgedLogo = { ...defaults, logoUrl: '/x.png"); background: url("/y' };
    expect(() => brandingToCssVariables(forgedLogo)).toThrow('Logo URL');
  });
});

describe('cssVariablesToStyleText', () => {
  it('serialises variables in order as declarations', () => {
    expect(
      cssVariablesToStyleText({ '--hearth-color-primary': '#123456', '--hearth-radius': '8px' }),
    ).toBe('--hearth-color-primary: #123456; --hearth-radius: 8px');
    expect(cssVariablesToStyleText({})).toBe('');
  });

  it('round-trips validated branding, quotes and all', () => {
    const branding = brandingSchema.parse({ logoUrl: '/logo.svg' });
    const text = cssVariablesToStyleText(brandingToCssVariables(branding));
    expect(text).toContain('--hearth-logo-url: url("/logo.svg")');
    expect(text).toContain(`--hearth-font-family: ${defaultFontFamily}`);
    expect(text.split('; ')).toHaveLength(10);
  });

  it('refuses names outside the --hearth- prefix', () => {
    expect(() => cssVariablesToStyleText({ color: 'red' })).toThrow(
      'Not a Hearth CSS variable: color',
    );
    expect(() => cssVariablesToStyleText({ '--other-x': '1' })).toThrow('Not a Hearth CSS');
  });

  it.each([
    '#fff; background: red',
    'x } body { display: none',
    '</style><script>alert(1)</script>',
    'a\\62 ackground',
    'a\nb',
  ])('refuses the value %j', (value) => {
    expect(() => cssVariablesToStyleText({ '--hearth-color-text': value })).toThrow(
      'CSS variable --hearth-color-text has a value that is not safe to write into CSS',
    );
  });
});
