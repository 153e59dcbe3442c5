import { Page } from '../../components/Page';

/** The team's SSH certificate authorities, roles and certificates (issue 18's console part). */
export function SshCa() {
  return (
    <Page title="SSH certificate authority">
      <p>Not built yet.</p>
    </Page>
  );
}
