/**
 * The inspector page's HTML shell: no CDN, no external font, no inline script (the CSP allows
 * only this server's own script and style). The token is passed on to the script and style URLs.
 */

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function pageHtml(token: string): string {
  const t = encodeURIComponent(token);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>linkvisor inspector</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/style.css?token=${escapeHtml(t)}">
<script src="/client.js?token=${escapeHtml(t)}" defer></script>
</head>
<body></body>
</html>
`;
}
