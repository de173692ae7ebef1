import { X509Certificate } from 'node:crypto';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates in a PEM text; unreadable blocks are left out. */
export function pemCertificates(pem: string): X509Certificate[] {
  const certs: X509Certificate[] = [];
  for (const block of pem.match(PEM_CERTIFICATE) ?? []) {
    try {
      certs.push(new X509Certificate(block));
    } catch {
      // A damaged block is not a certificate; the comparison says when none is left.
    }
  }
  return certs;
}

/** How a webhook's caBundle relates to the mesh root certificate(s). */
export interface CaComparison {
  consistent: boolean;
  /** What was compared, for the evidence. */
  detail: string;
}

function describe(cert: X509Certificate): string {
  const cn = /CN=([^\n,]+)/.exec(cert.subject)?.[1] ?? cert.subject.replace(/\n/g, ', ');
  return `"${cn}" (SHA-256 ${cert.fingerprint256.slice(0, 23)}…, valid until ${new Date(cert.validTo).toISOString()})`;
}

/** True when `cert` is `root` or was signed by it. */
function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  if (cert.fingerprint256 === issuer.fingerprint256) return true;
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * Compares a webhook caBundle (base64 PEM, as stored in the configuration) with the PEM of the mesh root
 * (ConfigMap istio-ca-root-cert, key root-cert.pem). The bundle is consistent when one of its certificates
 * is a root or chains up to one through the bundle's other certificates. Null when the roots cannot be read.
 */
export function compareCaBundle(caBundle: string, rootPem: string): CaComparison | null {
  const roots = pemCertificates(rootPem);
  if (roots.length === 0) return null;
  const bundle = pemCertificates(Buffer.from(caBundle.trim(), 'base64').toString('utf8'));
  const rootText = roots.map(describe).join(', ');
  if (bundle.length === 0) {
    return {
      consistent: false,
      detail: `the caBundle holds no readable PEM certificate; the mesh root is ${rootText}`,
    };
  }
  const trusted = [...roots];
  let grew = true;
  while (grew) {
    grew = false;
    for (const cert of bundle) {
      if (trusted.includes(cert) || !trusted.some((t) => issuedBy(cert, t))) continue;
      trusted.push(cert);
      grew = true;
    }
  }
  const chained = bundle.filter((c) => trusted.includes(c));
  if (chained.length > 0) {
    return { consistent: true, detail: `the caBundle's ${describe(chained[0]!)} chains to the mesh root` };
  }
  return {
    consistent: false,
    detail: `the caBundle holds ${bundle.map(describe).join(', ')}, which is not the mesh root ${rootText} and is not signed by it`,
  };
}
