import { useEffect, useState } from 'react';
import type { Settings } from '../../shared/api';
import { useClient } from './client/clientContext';
import { ErrorBoundary } from './components/ErrorBoundary';
import { StatusBar } from './components/StatusBar';
import { pageIds, pageTitles, parseRoute, type PageId } from './pages/pageRegistry';
import { PlaceholderPage } from './pages/PlaceholderPage';
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

const placeholderText: Record<Exclude<PageId, 'settings'>, string> = {
  datasets: 'Import labelled datasets (folders, CSV, masks, COCO / VOC / YOLO, DICOM, NIfTI, TIFF, MedMNIST) and browse them.',
  tasks: 'Turn datasets into training tasks: label type, classes, splits.',
  pretraining: 'Launch multi-task pretraining and watch it live.',
  results: 'Predictions next to ground truth, per-image metrics, worst cases first.',
  evaluate: 'Label-efficiency study: how much labelled data a pretrained encoder saves on a new task.',
};

export function App() {
  const client = useClient();
  const { page, rest } = useHashRoute();
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
          {page === 'settings' ? (
            <SettingsPage onSettings={(s) => applyTheme(s.theme)} />
          ) : page === 'datasets' ? (
            <DatasetsPage rest={rest} />
          ) : page === 'tasks' ? (
            <TasksPage />
          ) : page === 'pretraining' ? (
            <PretrainingPage rest={rest} />
          ) : page === 'results' ? (
            <ResultsPage rest={rest} />
          ) : page === 'evaluate' ? (
            <EvaluatePage rest={rest} />
          ) : (
            <PlaceholderPage title={pageTitles[page]} text={placeholderText[page]} />
          )}
        </ErrorBoundary>
      </main>
      <StatusBar />
    </div>
  );
}
