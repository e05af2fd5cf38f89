import { defineConfig } from "@playwright/test";

// The release binary on a fresh database with the demo data, in Debian's Chromium.
// Playwright's own browser downloads are never used (this machine cannot reach them).
const PORT = 3100;

export default defineConfig({
  testDir: "./tests",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    locale: "nb-NO",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: "rm -rf end2end/.e2e-data && target/release/portal serve --seed-demo",
    cwd: "..",
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORTAL_DATABASE_URL: "sqlite://end2end/.e2e-data/portal.db",
      PORTAL_ADDR: `127.0.0.1:${PORT}`,
      PORTAL_SITE_ROOT: "target/site",
      PORTAL_LOG: "warn",
      // As in the demo: password only, and the sign-in page says so. (The second factor is
      // covered by the integration tests.)
      PORTAL_REQUIRE_SECOND_FACTOR: "false",
      // Every test signs in from 127.0.0.1.
      PORTAL_SIGN_IN_BURST: "100000",
      // The clock stands still and POST /test/klokke moves it (plans.spec.ts moves time to see
      // deadlines pass). Never set in production.
      PORTAL_TEST_CLOCK: "true",
      // Messages are written as .eml files here (no SMTP server); notifications.spec.ts reads them.
      PORTAL_MAIL_DIR: "end2end/.e2e-data/mail",
    },
  },
});
