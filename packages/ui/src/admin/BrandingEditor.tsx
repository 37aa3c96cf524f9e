import {
  type Branding,
  brandingSchema,
  defaultTerminology,
  type TermKey,
  type TermOptions,
  term,
  termKeys,
} from '@hearth/core';
import { useMemo, useRef, useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { HearthTheme } from '../context.js';
import { ErrorText, fieldErrorsOf } from '../errors.js';
import { Field } from '../fields.js';
import { ChangeError, formatWhen } from '../safeguarding/staff-parts.js';
import {
  type ConfigVersion,
  type TenantConfigValue,
  useConfigHistory,
  useTenantConfig,
  useUpdateConfig,
} from './hooks.js';

type ColourKey = keyof Branding['colors'];

const colourFields: { key: ColourKey; label: string; description: string }[] = [
  { key: 'primary', label: 'Main colour', description: 'Buttons, links and the header.' },
  {
    key: 'onPrimary',
    label: 'Text on the main colour',
    description: 'Must be easy to read on the main colour.',
  },
  { key: 'accent', label: 'Highlight colour', description: 'Badges, quotes and highlights.' },
  { key: 'background', label: 'Page background', description: 'Behind everything.' },
  { key: 'surface', label: 'Card background', description: 'Cards, panels and messages.' },
  { key: 'text', label: 'Text colour', description: 'Body text.' },
  { key: 'danger', label: 'Warning colour', description: 'Errors and actions that remove things.' },
];

const termNames: Record<TermKey, string> = {
  member: 'The young people (members)',
  mentor: 'Mentors',
  seniorMentor: 'Senior mentors',
  moderator: 'Moderators',
  safeguardingLead: 'Safeguarding leads',
  practitioner: 'Practitioners',
  orgAdmin: 'Organisation admins',
};

interface Draft {
  displayName: string;
  shortName: string;
  logoUrl: string;
  colors: Record<ColourKey, string>;
  /** As typed, so a half-typed number can be corrected. */
  radiusText: string;
  fontFamily: string;
  terminology: Record<TermKey, { singular: string; plural: string }>;
}

function draftOf(config: TenantConfigValue): Draft {
  return {
    displayName: config.displayName,
    shortName: config.shortName ?? '',
    logoUrl: config.branding.logoUrl ?? '',
    colors: { ...config.branding.colors },
    radiusText: String(config.branding.radius),
    fontFamily: config.branding.fontFamily,
    terminology: Object.fromEntries(
      termKeys.map((key) => [
        key,
        {
          singular: config.terminology[key]?.singular ?? '',
          plural: config.terminology[key]?.plural ?? '',
        },
      ]),
    ) as Draft['terminology'],
  };
}

function brandingOf(draft: Draft) {
  return {
    ...(draft.logoUrl.trim() ? { logoUrl: draft.logoUrl.trim() } : {}),
    colors: draft.colors,
    radius: radiusProblem(draft.radiusText) ? Number.NaN : Number(draft.radiusText.trim()),
    fontFamily: draft.fontFamily,
  };
}

/** The terms a tenant chose: a role left blank uses Hearth's own name for it. */
function terminologyOf(draft: Draft) {
  const out: Partial<Record<TermKey, { singular: string; plural: string }>> = {};
  for (const key of termKeys) {
    const { singular, plural } = draft.terminology[key];
    if (singular.trim() || plural.trim()) {
      out[key] = { singular: singular.trim(), plural: plural.trim() };
    }
  }
  return out;
}

/** The configuration to save: the current one with this editor's parts replaced. */
function configFrom(base: TenantConfigValue, draft: Draft): TenantConfigValue {
  const { shortName: _dropped, ...rest } = base;
  return {
    ...rest,
    displayName: draft.displayName.trim(),
    ...(draft.shortName.trim() ? { shortName: draft.shortName.trim() } : {}),
    branding: brandingOf(draft) as TenantConfigValue['branding'],
    terminology: terminologyOf(draft),
  };
}

/**
 * Problems the editor can find before saving, keyed by field name: the branding by its own
 * schema, the rest by hand (the server checks everything again with the whole schema, which is
 * too big to bring into the browser for this).
 */
function draftProblems(draft: Draft): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const add = (key: string, message: string) => {
    errors[key] = [...(errors[key] ?? []), message];
  };
  const branding = brandingSchema.safeParse(brandingOf(draft));
  if (!branding.success) {
    for (const issue of branding.error.issues) {
      add(['config', 'branding', ...issue.path.map(String)].join('.'), issue.message);
    }
  }
  if (!draft.displayName.trim()) add('config.displayName', 'Give the service a name');
  for (const key of termKeys) {
    const { singular, plural } = draft.terminology[key];
    if (!singular.trim() && plural.trim()) {
      add(
        `config.terminology.${key}.singular`,
        'Give the word for one as well, or leave both blank',
      );
    }
    if (singular.trim() && !plural.trim()) {
      add(
        `config.terminology.${key}.plural`,
        'Give the word for several as well, or leave both blank',
      );
    }
  }
  return errors;
}

function radiusProblem(value: string): string | null {
  const n = Number(value.trim());
  return value.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= 32
    ? null
    : 'Use a whole number from 0 to 32';
}

function colourProblem(value: string): string | null {
  return /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(value.trim())
    ? null
    : 'Use a hex code like #5b2a86 or #abc';
}

export interface BrandingEditorProps {
  /** Called after a new version is saved. */
  onSaved?: (version: number) => void;
}

/**
 * For organisation admins: the service's name, logo, colours, corner radius, font and the words
 * it uses for each role, with a live preview of the edits before they are saved. Saving makes a
 * new configuration version and re-themes the whole app.
 */
export function BrandingEditor({ onSaved }: BrandingEditorProps) {
  const config = useTenantConfig();
  const [draft, setDraft] = useState<{ version: number; value: Draft } | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const current = config.data;
  // A new version (saved here, or loaded after someone else saved one) starts a fresh draft.
  const editing =
    current && (!draft || draft.version !== current.version)
      ? { version: current.version, value: draftOf(current.config) }
      : draft;

  return (
    <section className="hearth-stack" aria-labelledby="hearth-branding-title">
      <h1 id="hearth-branding-title">Branding and words</h1>
      {config.isPending ? <p aria-busy="true">Loading…</p> : null}
      <ErrorText error={config.error} />
      {current && editing ? (
        <Editor
          config={current.config}
          version={current.version}
          draft={editing.value}
          onChange={(value) => {
            setSaved(null);
            setDraft({ version: current.version, value });
          }}
          onReload={() => {
            setDraft(null);
            config.refetch();
          }}
          saved={saved}
          onSaved={(version) => {
            setSaved(version);
            onSaved?.(version);
          }}
        />
      ) : null}
    </section>
  );
}

function Editor({
  config,
  version,
  draft,
  onChange,
  onReload,
  saved,
  onSaved,
}: {
  config: TenantConfigValue;
  version: number;
  draft: Draft;
  onChange: (draft: Draft) => void;
  onReload: () => void;
  saved: number | null;
  onSaved: (version: number) => void;
}) {
  const update = useUpdateConfig();
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>({});
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });

  // The preview keeps the last branding that was valid while a colour is half typed.
  const lastGood = useRef<Branding>(config.branding);
  const parsed = brandingSchema.safeParse(brandingOf(draft));
  if (parsed.success) lastGood.current = parsed.data;
  const terminology = terminologyOf(draft);

  const validationErrors = useMemo(
    () => ({ ...clientErrors, ...fieldErrorsOf(update.error) }),
    [clientErrors, update.error],
  );
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftOf(config));

  return (
    <div className="hearth-branding-editor">
      <Form
        className="hearth-form hearth-branding-form"
        aria-label="Branding and words"
        validationErrors={validationErrors}
        onSubmit={(event) => {
          event.preventDefault();
          const errors = draftProblems(draft);
          if (Object.keys(errors).length > 0) {
            setClientErrors(errors);
            return;
          }
          const next = configFrom(config, draft);
          setClientErrors({});
          update.mutate(
            { expectedVersion: version, config: next },
            {
              onSuccess: (answer) => onSaved(answer.version),
            },
          );
        }}
      >
        <p className="hearth-muted">Editing version {version} of your organisation's settings.</p>
        <fieldset className="hearth-fieldset">
          <legend>Name and logo</legend>
          <Field
            label="Service name"
            name="config.displayName"
            value={draft.displayName}
            onChange={(displayName) => set({ displayName })}
            isRequired
            maxLength={80}
          />
          <Field
            label="Short name (optional)"
            name="config.shortName"
            description="For tight spaces, such as a phone's home screen."
            value={draft.shortName}
            onChange={(shortName) => set({ shortName })}
            maxLength={24}
          />
          <Field
            label="Logo address (optional)"
            name="config.branding.logoUrl"
            description="Starting with https://, or a path on this site starting with /"
            value={draft.logoUrl}
            onChange={(logoUrl) => set({ logoUrl })}
          />
        </fieldset>

        <fieldset className="hearth-fieldset">
          <legend>Colours</legend>
          <p className="hearth-muted">
            Check that text stays easy to read against its background in the preview.
          </p>
          {colourFields.map(({ key, label, description }) => (
            <div className="hearth-colour-field" key={key}>
              <span
                className="hearth-swatch"
                aria-hidden="true"
                style={
                  colourProblem(draft.colors[key]) ? undefined : { background: draft.colors[key] }
                }
              />
              <Field
                label={label}
                name={`config.branding.colors.${key}`}
                description={description}
                value={draft.colors[key]}
                onChange={(value) => set({ colors: { ...draft.colors, [key]: value } })}
                validate={colourProblem}
                validationBehavior="aria"
                isRequired
              />
            </div>
          ))}
        </fieldset>

        <fieldset className="hearth-fieldset">
          <legend>Shape and type</legend>
          <Field
            label="Corner roundness (pixels)"
            name="config.branding.radius"
            description="A whole number from 0 (square) to 32."
            inputMode="numeric"
            value={draft.radiusText}
            onChange={(radiusText) => set({ radiusText })}
            validate={radiusProblem}
            validationBehavior="aria"
            isRequired
          />
          <Field
            label="Font"
            name="config.branding.fontFamily"
            description={
              <>
                A list of font names, separated by commas, like{' '}
                <code>"Atkinson Hyperlegible", Arial, sans-serif</code>. Your site must load any web
                font itself.
              </>
            }
            value={draft.fontFamily}
            onChange={(fontFamily) => set({ fontFamily })}
            isRequired
            maxLength={200}
          />
        </fieldset>

        <fieldset className="hearth-fieldset">
          <legend>Words for each role</legend>
          <p className="hearth-muted">
            What your service calls each role, for example “buddy” instead of “mentor”. Leave both
            blank to use Hearth's word.
          </p>
          {termKeys.map((key) => (
            <fieldset className="hearth-fieldset hearth-term" key={key}>
              <legend>{termNames[key]}</legend>
              <div className="hearth-row">
                <Field
                  label={`Word for one ${defaultTerminology[key].singular}`}
                  name={`config.terminology.${key}.singular`}
                  value={draft.terminology[key].singular}
                  onChange={(singular) =>
                    set({
                      terminology: {
                        ...draft.terminology,
                        [key]: { ...draft.terminology[key], singular },
                      },
                    })
                  }
                  maxLength={40}
                />
                <Field
                  label={`Word for several ${defaultTerminology[key].plural}`}
                  name={`config.terminology.${key}.plural`}
                  value={draft.terminology[key].plural}
                  onChange={(plural) =>
                    set({
                      terminology: {
                        ...draft.terminology,
                        [key]: { ...draft.terminology[key], plural },
                      },
                    })
                  }
                  maxLength={40}
                />
              </div>
            </fieldset>
          ))}
        </fieldset>

        {Object.keys(clientErrors).length > 0 ? (
          <p className="hearth-error" role="alert">
            Some settings need correcting before they can be saved: see the messages above.
          </p>
        ) : null}
        <ChangeError
          error={update.error}
          what="the settings"
          onReload={() => {
            update.reset();
            setClientErrors({});
            onReload();
          }}
        />
        {saved ? (
          <p className="hearth-notice" role="status">
            Saved as version {saved}. The whole site now uses it.
          </p>
        ) : null}
        <div className="hearth-row">
          <Button
            type="submit"
            className="hearth-button hearth-button-primary"
            isPending={update.isPending}
          >
            Save
          </Button>
          <Button
            className="hearth-button hearth-button-quiet"
            isDisabled={!dirty}
            onPress={() => {
              setClientErrors({});
              update.reset();
              onChange(draftOf(config));
            }}
          >
            Undo my changes
          </Button>
        </div>
      </Form>

      <BrandingPreview
        className="hearth-branding-preview"
        branding={lastGood.current}
        displayName={draft.displayName.trim() || config.displayName}
        terminology={terminology}
        logoUrl={parsed.success ? parsed.data.logoUrl : undefined}
      />

      <ConfigHistory
        className="hearth-branding-history"
        currentVersion={version}
        onLoad={(older) => {
          setClientErrors({});
          onChange(draftOf(older.config));
        }}
      />
    </div>
  );
}

/** A small sample of the site in the edited colours and words, before anything is saved. */
function BrandingPreview({
  className,
  branding,
  displayName,
  terminology,
  logoUrl,
}: {
  className: string;
  branding: Branding;
  displayName: string;
  terminology: Partial<Record<TermKey, { singular: string; plural: string }>>;
  logoUrl: string | undefined;
}) {
  const t = (key: TermKey, options?: TermOptions) => term({ terminology }, key, options);
  return (
    <section className={`hearth-stack ${className}`} aria-labelledby="hearth-preview-title">
      <h2 id="hearth-preview-title">Preview</h2>
      <p className="hearth-muted">How your changes will look. Nothing is saved yet.</p>
      <HearthTheme branding={{ branding }} className="hearth-preview">
        <div className="hearth-preview-header">
          {logoUrl ? <img className="hearth-logo" src={logoUrl} alt="" /> : null}
          <span>{displayName}</span>
        </div>
        <div className="hearth-preview-body hearth-stack">
          <h3>Find a {t('mentor')}</h3>
          <div className="hearth-card">
            <p>
              {t('mentor', { plural: true, capitalize: true })} are trained volunteers who listen
              and help {t('member', { plural: true })} work towards what matters to them.
            </p>
            <p className="hearth-row">
              <span className="hearth-button hearth-button-primary">Ask for a {t('mentor')}</span>
              <span className="hearth-button hearth-button-quiet">Not now</span>
              <span className="hearth-badge">New</span>
            </p>
          </div>
          <p className="hearth-error">This is how a problem is pointed out.</p>
        </div>
      </HearthTheme>
    </section>
  );
}

function ConfigHistory({
  className,
  currentVersion,
  onLoad,
}: {
  className: string;
  currentVersion: number;
  onLoad: (version: ConfigVersion) => void;
}) {
  const history = useConfigHistory();
  return (
    <section className={`hearth-stack ${className}`} aria-labelledby="hearth-config-history">
      <h2 id="hearth-config-history">Earlier versions</h2>
      {history.isPending ? <p aria-busy="true">Loading…</p> : null}
      <ErrorText error={history.error} />
      {history.data ? (
        <ol className="hearth-list" reversed>
          {history.data.map((v) => (
            <li key={v.version} className="hearth-card hearth-row hearth-spread">
              <span>
                <strong>Version {v.version}</strong>
                {v.version === currentVersion ? ' (in use)' : ''} · {formatWhen(v.createdAt)} ·{' '}
                {v.createdBy ? `by ${v.createdBy.username ?? 'someone no longer here'}` : 'set up'}
                <br />
                <span className="hearth-muted">{v.config.displayName}</span>
              </span>
              {v.version === currentVersion ? null : (
                <Button className="hearth-button hearth-button-quiet" onPress={() => onLoad(v)}>
                  Load into the editor
                  <span className="hearth-visually-hidden"> (version {v.version})</span>
                </Button>
              )}
            </li>
          ))}
        </ol>
      ) : null}
      <p className="hearth-muted">
        Loading an earlier version copies its name, branding and words into the editor. Nothing
        changes until you save.
      </p>
    </section>
  );
}
