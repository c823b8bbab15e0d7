import { proxyToControlPlane } from '@/lib/proxy-request';

export const dynamic = 'force-dynamic';

export const GET = proxyToControlPlane;
export const HEAD = proxyToControlPlane;
export const POST = proxyToControlPlane;
export const PUT = proxyToControlPlane;
export const PATCH = proxyToControlPlane;
export const DELETE = proxyToControlPlane;
