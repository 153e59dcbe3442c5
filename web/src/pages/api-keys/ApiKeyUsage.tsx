import { Page } from '../../components/Page';

/** One API key's usage: its chart by outcome, totals, last use and recent refusals (issue 20's console part). */
export function ApiKeyUsage() {
  return (
    <Page title="API key usage">
      <p>Not built yet.</p>
    </Page>
  );
}
