import { useEffect, useState, type ReactNode } from 'react';
import type { Settings } from '../../shared/api';
import { useClient } from './client/clientContext';
import { ErrorBoundary } from './components/ErrorBoundary';
import { StatusBar } from './components/StatusBar';
import { pageIds, pageTitles, parseRoute, type PageId } from './pages/pageRegistry';
import { SettingsPage } from './pages/SettingsPage';
import { DatasetsPage } from './datasets/DatasetsPage';
import { TasksPage } from './tasks/TasksPage';
import { PretrainingPage } from './pretraining/PretrainingPage';
import { ResultsPage } from './results/ResultsPage';
import { EvaluatePage } from './evaluate/EvaluatePage';

function useHashRoute() {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parseRoute(hash);
}

function applyTheme(theme: Settings['theme']) {
  const dark = theme === 'dark' || (theme === 'system' && window.matchMedia?.('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

/** Every page of the sidebar: a new page id does not compile until it has its component here. */
function pageContent(page: PageId, rest: string[], onSettings: (settings: Settings) => void): ReactNode {
  const pages: Record<PageId, () => ReactNode> = {
    datasets: () => <DatasetsPage rest={rest} />,
    tasks: () => <TasksPage />,
    pretraining: () => <PretrainingPage rest={rest} />,
    results: () => <ResultsPage rest={rest} />,
    evaluate: () => <EvaluatePage rest={rest} />,
    settings: () => <SettingsPage onSettings={onSettings} />,
  };
  return pages[page]();
}

export function App() {
  const client = useClient();
  const { page, rest } = useHashRoute();
  // a changed backend setting changes what the next run uses: the status bar asks again
  const [backendSetting, setBackendSetting] = useState<string | null>(null);
  useEffect(() => {
    client.call('settings/get', {}).then((s) => applyTheme(s.theme), () => applyTheme('system'));
  }, [client]);

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          UMedPT <span>Studio</span>
        </div>
        <ul>
          {pageIds.map((id) => (
            <li key={id}>
              <a href={`#/${id}`} aria-current={page === id ? 'page' : undefined}>
                {pageTitles[id]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        <ErrorBoundary resetKey={page + rest.join('/')}>
          {pageContent(page, rest, (settings) => {
            applyTheme(settings.theme);
            setBackendSetting(settings.backend);
          })}
        </ErrorBoundary>
      </main>
      <StatusBar key={backendSetting ?? ''} />
    </div>
  );
}
