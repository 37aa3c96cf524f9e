import {
  type AnchorHTMLAttributes,
  createContext,
  type MouseEvent,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';

export interface SafeLocation {
  /** The current path, such as `/mentors`. */
  path: string;
  /** Goes to `path` without adding a history entry. */
  navigate(path: string): void;
}

const LocationContext = createContext<SafeLocation | null>(null);

/**
 * Client-side navigation that never adds to the browser's history: moving between pages
 * replaces the one entry the site has. Someone checking the history (or pressing back after
 * Quick Exit) finds at most one page of this site, and Quick Exit replaces that one.
 */
export function SafeLocationProvider({ children }: { children: ReactNode }) {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((next: string) => {
    if (!next.startsWith('/') || next.startsWith('//'))
      throw new Error(`Not a path on this site: ${next}`);
    window.history.replaceState(null, '', next);
    setPath(new URL(next, window.location.origin).pathname);
    window.scrollTo(0, 0);
  }, []);
  const value = useMemo(() => ({ path, navigate }), [path, navigate]);
  return <LocationContext.Provider value={value}>{children}</LocationContext.Provider>;
}

/** The current path and `navigate`, from `SafeLocationProvider`. */
export function useSafeLocation(): SafeLocation {
  const location = useContext(LocationContext);
  if (!location) throw new Error('useSafeLocation needs a <SafeLocationProvider> above it');
  return location;
}

export interface SafeLinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string;
  children: ReactNode;
}

/** A link within the site that navigates without adding a history entry. */
export function SafeLink({ to, children, onClick, ...rest }: SafeLinkProps) {
  const { path, navigate } = useSafeLocation();
  const go = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.button !== 0
    ) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={go} aria-current={path === to ? 'page' : undefined} {...rest}>
      {children}
    </a>
  );
}
