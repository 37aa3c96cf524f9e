import type { HearthClient, HearthOutputs } from '@hearth/client';
import { brandingToCssVariables } from '@hearth/core';
import { type TermKey, type TermOptions, term } from '@hearth/core/terms';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import {
  type CSSProperties,
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';

/** What a tenant shows to anyone: name, colours, words, helplines. */
export type PublicBranding = HearthOutputs['tenancy']['branding'];

const ClientContext = createContext<HearthClient | null>(null);
const BrandingContext = createContext<PublicBranding | null>(null);

/** The Hearth client given to `HearthProvider`. */
export function useHearthClient(): HearthClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('Hearth components must be inside <HearthProvider client={…}>');
  return client;
}

/** The tenant's public branding, loaded once by `HearthProvider`. */
export function useBranding(): PublicBranding {
  const branding = useContext(BrandingContext);
  if (!branding) throw new Error('Hearth components must be inside <HearthProvider client={…}>');
  return branding;
}

/**
 * What this organisation calls a role: `t('mentor')` is "buddy" where the tenant says so.
 * @example const t = useTerm(); <h1>{t('mentor', { plural: true, capitalize: true })}</h1>
 */
export function useTerm(): (key: TermKey, options?: TermOptions) => string {
  const branding = useBranding();
  return (key, options) => term(branding, key, options);
}

export const brandingQueryKey = ['hearth', 'tenancy.branding'] as const;

export interface HearthProviderProps {
  client: HearthClient;
  /** Share your app's query client; by default the provider makes its own. */
  queryClient?: QueryClient;
  /** Shown while the organisation's branding loads. */
  loading?: ReactNode;
  /** Shown when no organisation is served at this address, or the server cannot be reached. */
  unavailable?: ReactNode;
  children: ReactNode;
}

/**
 * Loads the organisation's branding for this host and themes everything inside it: colours,
 * radius and font become `--hearth-*` CSS custom properties on the provider's root element, so
 * one build serves every organisation.
 */
export function HearthProvider(props: HearthProviderProps) {
  const [ownQueryClient] = useState(
    () =>
      props.queryClient ??
      new QueryClient({
        defaultOptions: {
          queries: { retry: retryUnlessRefused, refetchOnWindowFocus: false, staleTime: 5_000 },
        },
      }),
  );
  return (
    <ClientContext.Provider value={props.client}>
      <QueryClientProvider client={props.queryClient ?? ownQueryClient}>
        <BrandingGate {...props} />
      </QueryClientProvider>
    </ClientContext.Provider>
  );
}

function BrandingGate({ loading, unavailable, children }: HearthProviderProps) {
  const client = useHearthClient();
  const branding = useQuery({
    queryKey: brandingQueryKey,
    queryFn: () => client.tenancy.branding.query(),
    staleTime: 60_000,
  });
  const variables = branding.data?.cssVariables;
  useEffect(() => {
    // Dialogs render into document.body, outside the provider's element: the page's root
    // carries the variables too, so they are themed like everything else.
    if (!variables) return;
    const root = document.documentElement.style;
    for (const [name, value] of Object.entries(variables)) root.setProperty(name, value);
    return () => {
      for (const name of Object.keys(variables)) root.removeProperty(name);
    };
  }, [variables]);
  if (branding.data) {
    return (
      <BrandingContext.Provider value={branding.data}>
        {/* The server validated these variables; the provider applies them as they are, so an
            app that never edits branding carries no schema code. */}
        <div className="hearth-root" style={branding.data.cssVariables as CSSProperties}>
          {children}
        </div>
      </BrandingContext.Provider>
    );
  }
  if (branding.isError) {
    return (
      unavailable ?? (
        <div className="hearth-root hearth-unavailable" role="alert">
          <p>This service is not available at this address right now. Please try again later.</p>
        </div>
      )
    );
  }
  return (
    loading ?? (
      <div className="hearth-root hearth-loading" aria-busy="true">
        Loading…
      </div>
    )
  );
}

export interface HearthThemeProps {
  /** A tenant's branding as `tenancy.branding` returns it, or as an editor is changing it. */
  branding: Pick<PublicBranding, 'branding'>;
  className?: string;
  children: ReactNode;
}

/** Applies a branding's CSS variables to a box; used by the provider and by live previews. */
export function HearthTheme({ branding, className, children }: HearthThemeProps) {
  const style = useMemo(() => {
    try {
      return brandingToCssVariables(branding.branding) as CSSProperties;
    } catch {
      // An editor's half-typed colour must not take the page down: keep the defaults.
      return undefined;
    }
  }, [branding.branding]);
  return (
    <div className={className} style={style}>
      {children}
    </div>
  );
}

/** Refused calls (4xx) are answers, not outages: asking again would only repeat them. */
function retryUnlessRefused(failures: number, error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: number } })?.data?.httpStatus;
  if (status !== undefined && status >= 400 && status < 500) return false;
  return failures < 2;
}
