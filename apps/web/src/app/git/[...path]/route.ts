import { proxyToControlPlane } from '@/lib/proxy-request';

// Hosted repositories (`/git/{org}/{env}.git`, smart HTTP) are served by the control plane; the
// console is the public origin (PUBLIC_URL), so instances and `git clone` reach them through it.
export const dynamic = 'force-dynamic';

export const GET = proxyToControlPlane;
export const POST = proxyToControlPlane;
