/** Outpost's web client: sign-in, then mail, calendar, add-ins, store, admin center and publisher pages. */
import "./styles.css";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { SessionInfo } from "../../server/web/api-types.ts";
import { ApiError, mail } from "./api.ts";
import { MailView } from "./mail.tsx";
import { CalendarView } from "./calendar.tsx";
import { AdminCenter, MyAddins, PublisherPage, StorePage, useClientConfig } from "./lifecycle.tsx";
import { watchForgedMessages } from "./addins.tsx";

type Route = "mail" | "calendar" | "my-addins" | "store" | "admin" | "publisher";
const ROUTES: Route[] = ["mail", "calendar", "my-addins", "store", "admin", "publisher"];

function currentRoute(): Route {
  const r = location.hash.replace(/^#\/?/, "").split("/")[0] as Route;
  return ROUTES.includes(r) ? r : "mail";
}

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await mail.signIn(email, password);
      onSignedIn();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Could not reach the server.");
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin">
      <h1>Sign in to Outpost</h1>
      <form onSubmit={submit} aria-describedby={error ? "signin-error" : undefined}>
        <label class="field">
          <span>Email address</span>
          <input name="email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Password</span>
          <input name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {error && (
          <p class="error" id="signin-error" role="alert">
            {error}
          </p>
        )}
        <button class="primary" type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}

function App() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [route, setRoute] = useState<Route>(currentRoute());
  const config = useClientConfig(session ?? null);
  const load = () =>
    mail
      .session()
      .then(setSession)
      .catch(() => setSession(null));
  useEffect(() => {
    void load();
    const onHash = () => setRoute(currentRoute());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);
  useEffect(() => (session ? watchForgedMessages() : undefined), [session?.user.id]);
  if (session === undefined) return <p class="boot">Loading Outpost…</p>;
  if (session === null) return <SignIn onSignedIn={() => void load()} />;
  const nav: Array<[Route, string, boolean]> = [
    ["mail", "Mail", true],
    ["calendar", "Calendar", true],
    ["my-addins", "My add-ins", true],
    ["store", "Get add-ins", config.storeEnabled],
    ["admin", "Admin center", session.user.isAdmin],
    ["publisher", "Publisher", true],
  ];
  return (
    <div class="shell">
      <header class="top">
        <span class="brand">Outpost</span>
        <nav aria-label="Main" data-config={config.loaded ? "loaded" : "loading"}>
          {nav
            .filter(([, , shown]) => shown)
            .map(([r, label]) => (
              <a href={`#/${r}`} aria-current={route === r ? "page" : undefined} key={r}>
                {label}
              </a>
            ))}
        </nav>
        <span class="who">
          <span>{session.user.displayName}</span>
          <button
            type="button"
            onClick={async () => {
              await mail.signOut();
              setSession(null);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <div class="view">
        {route === "mail" && <MailView session={session} />}
        {route === "calendar" && <CalendarView session={session} />}
        {route === "my-addins" && <MyAddins />}
        {route === "store" &&
          (!config.loaded ? (
            <p class="page" aria-busy="true">
              Loading…
            </p>
          ) : config.storeEnabled ? (
            <StorePage />
          ) : (
            <p class="page">Get add-ins is turned off for this client by your organization.</p>
          ))}
        {route === "admin" && session.user.isAdmin && <AdminCenter />}
        {route === "publisher" && <PublisherPage />}
      </div>
    </div>
  );
}

render(<App />, document.getElementById("app")!);
