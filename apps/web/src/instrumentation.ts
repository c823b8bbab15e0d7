/** Runs once when the server starts: a bad CONTROL_PLANE_URL stops the console before it serves. */
export async function register(): Promise<void> {
  if (process.env['NEXT_RUNTIME'] === 'nodejs') await import('./lib/check-config');
}
