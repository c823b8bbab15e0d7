import type { NextConfig } from 'next';

// The API is reached through the runtime route handler `src/app/api/[...path]/route.ts` rather than
// `rewrites()`: rewrites are fixed at build time, and CONTROL_PLANE_URL is a runtime setting.
const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  typedRoutes: false,
  headers() {
    return Promise.resolve([
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ]);
  },
};

export default config;
