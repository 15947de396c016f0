import { Component, type ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient, type ApiError } from './api-client.js';
import { ProblemBanner } from './components/problem-banner.js';
import { useRoute } from './hooks.js';
import { ConnectorList } from './pages/connector-list.js';
import { ConnectorPage } from './pages/connector-page.js';
import { CreateConnector } from './pages/create-connector.js';

/** Where the token is kept, so the console asks for it once per browser. */
const TOKEN_KEY = 'rocketmq-connect-api-token';

/**
 * The browser's storage of the token. Storage may be blocked (a privacy setting), which throws:
 * the console then asks for the token on each visit rather than failing.
 */
const tokenStore = {
  read(): string {
    try {
      return localStorage.getItem(TOKEN_KEY) ?? '';
    } catch {
      return '';
    }
  },
  write(token: string | undefined): void {
    try {
      if (token === undefined) localStorage.removeItem(TOKEN_KEY);
      else localStorage.setItem(TOKEN_KEY, token);
    } catch {
      // Kept in memory only, for this page's life.
    }
  },
};

const TITLES = { list: 'Connectors', create: 'New connector', connector: '' } as const;

/** Whatever a page throws while rendering is shown as a problem, never a blank page. */
class ErrorBoundary extends Component<{ children: ComponentChildren }, { error?: Error }> {
  override state: { error?: Error } = {};
  override componentDidCatch(error: Error) {
    this.setState({ error });
  }
  override render() {
    return this.state.error ? (
      <ProblemBanner failure={{ message: this.state.error.message }} />
    ) : (
      this.props.children
    );
  }
}

/** Asks for the API token, and checks it against the API before keeping it. */
function TokenForm({ onToken, refused }: { onToken: (token: string) => void; refused: boolean }) {
  const [token, setToken] = useState('');
  const [failure, setFailure] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      await new ApiClient(token.trim()).get('/connectors');
      onToken(token.trim());
    } catch (error) {
      setFailure(error as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="token-form" onSubmit={(e) => void submit(e)}>
      <h1>RocketMQ Connect</h1>
      {refused && !failure && (
        <p class="error-text" role="alert">
          The API refused the token this browser had kept. Enter it again.
        </p>
      )}
      <label for="api-token">API token</label>
      <input
        id="api-token"
        type="password"
        autoComplete="current-password"
        aria-describedby="api-token-doc"
        required
        value={token}
        onInput={(e) => setToken((e.target as HTMLInputElement).value)}
      />
      <p class="doc" id="api-token-doc">
        npm start prints it (and keeps it in .stack/api-token); a deployment has it in
        CONNECT_API_TOKEN. This browser keeps it until you sign out.
      </p>
      {failure && <ProblemBanner failure={failure} />}
      <button type="submit" class="primary" disabled={busy || token.trim() === ''}>
        {busy ? 'Checking…' : 'Open the console'}
      </button>
    </form>
  );
}

export function App() {
  const [token, setToken] = useState(() => tokenStore.read());
  const [refused, setRefused] = useState(false);
  const route = useRoute();
  const firstRoute = useRef(true);
  // A new page: its name in the title, and the focus at its start (as a page load would).
  useEffect(() => {
    const page = route.page === 'connector' ? route.name : TITLES[route.page];
    document.title = `${page} · RocketMQ Connect`;
    if (firstRoute.current) firstRoute.current = false;
    else document.getElementById('main')?.focus();
  }, [route]);
  // A token refused later (rotated, or another stack) sends the user back to the token form.
  const api = useMemo(
    () =>
      new ApiClient(token, () => {
        tokenStore.write(undefined);
        setRefused(true);
        setToken('');
      }),
    [token],
  );

  if (token === '') {
    return (
      <main id="main">
        <TokenForm
          refused={refused}
          onToken={(value) => {
            tokenStore.write(value);
            setRefused(false);
            setToken(value);
          }}
        />
      </main>
    );
  }
  const signOut = () => {
    tokenStore.write(undefined);
    setToken('');
  };
  return (
    <>
      <header class="top">
        <a class="brand" href="#/">
          RocketMQ Connect
        </a>
        <nav aria-label="Main">
          <a href="#/" aria-current={route.page === 'list' ? 'page' : undefined}>
            Connectors
          </a>
          <a href="#/new" aria-current={route.page === 'create' ? 'page' : undefined}>
            New connector
          </a>
          <button type="button" class="link" onClick={signOut}>
            Sign out
          </button>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorBoundary key={JSON.stringify(route)}>
          {route.page === 'list' && <ConnectorList api={api} />}
          {route.page === 'create' && <CreateConnector api={api} />}
          {route.page === 'connector' && <ConnectorPage api={api} name={route.name} />}
        </ErrorBoundary>
      </main>
    </>
  );
}
