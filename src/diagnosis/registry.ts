import type { Detector } from './detector';
import { detectAmbientNoHealthyUpstream } from './detectors/ambient-no-healthy-upstream';
import { detectAmbientHboneBlocked } from './detectors/ambient-hbone-blocked';
import { detectAmbientEnrollmentFailed } from './detectors/ambient-enrollment-failed';
import { detectAmbientProbeBlocked } from './detectors/ambient-probe-blocked';
import { detectAmbientL7ConfigWithoutWaypoint } from './detectors/ambient-l7-config-without-waypoint';
import { detectAppRunsAsProxyUid } from './detectors/app-runs-as-proxy-uid';
import { detectAuthzPolicyMismatch } from './detectors/authz-policy-mismatch';
import { detectCsmControlPlaneUnhealthy } from './detectors/csm-control-plane-unhealthy';
import { detectEnvoyfilterPatchFragile } from './detectors/envoyfilter-patch-fragile';
import { detectImageAutoNotInjected } from './detectors/image-auto-not-injected';
import { detectInjectorCabundleMissing } from './detectors/injector-cabundle-missing';
import { detectGatewayPortNotExposed } from './detectors/gateway-port-not-exposed';
import { detectGatewayTlsCredentialInvalid } from './detectors/gateway-tls-credential-invalid';
import { detectGatewayServerConflict } from './detectors/gateway-server-conflict';
import { detectJwtClaimRouteWithoutAuthn } from './detectors/jwt-claim-route-without-authn';
import { detectGatewayApiCrdTooOld } from './detectors/gateway-api-crd-too-old';
import { detectConfigStatusNegative } from './detectors/config-status-negative';
import { detectGatewaySelectorNoWorkload } from './detectors/gateway-selector-no-workload';
import { detectInjectorWebhookInvalid } from './detectors/injector-webhook-invalid';
import { detectIstioAnnotationIneffective } from './detectors/istio-annotation-ineffective';
import { detectIstioInitFailure } from './detectors/istio-init-failure';
import { detectIstioNodeAgentQuota } from './detectors/istio-node-agent-quota';
import { detectIstiodApiserverConnection } from './detectors/istiod-apiserver-connection';
import { detectIstiodRbacForbidden } from './detectors/istiod-rbac-forbidden';
import { detectLegacyMixerUnavailable } from './detectors/legacy-mixer-unavailable';
import { detectMeshnetworksRegistryUnknown } from './detectors/meshnetworks-registry-unknown';
import { detectNamespaceInjectionLabelConflict } from './detectors/namespace-injection-label-conflict';
import { detectLocalhostListener } from './detectors/localhost-listener';
import { detectNativeSidecarStartupBlocked } from './detectors/native-sidecar-startup-blocked';
import { detectPodCreationFailed } from './detectors/pod-creation-failed';
import { detectPortProtocolConflict } from './detectors/port-protocol-conflict';
import { detectPortProtocolUndeclared } from './detectors/port-protocol-undeclared';
import { detectProxyStartupEconnrefused } from './detectors/proxy-startup-econnrefused';
import { detectSidecarResourceConflict } from './detectors/sidecar-resource-conflict';
import { detectServiceEntryAddressMissing } from './detectors/serviceentry-address-missing';
import { detectSidecarNotInjected } from './detectors/sidecar-not-injected';
import { detectSidecarVersionSkew } from './detectors/sidecar-version-skew';
import { detectUpstreamReset503 } from './detectors/upstream-reset-503';
import { detectVaultInjectionRace } from './detectors/vault-injection-race';
import { detectVirtualServiceGatewayMismatch } from './detectors/virtualservice-gateway-mismatch';
import { detectVirtualServiceSubsetMissing } from './detectors/virtualservice-subset-missing';
import { detectDestinationRuleSubsetNoPods } from './detectors/destinationrule-subset-no-pods';
import { detectDestinationRuleHostUnknown } from './detectors/destinationrule-host-unknown';
import { detectVirtualServiceHostConflict } from './detectors/virtualservice-host-conflict';
import { detectVirtualServiceDestinationMissing } from './detectors/virtualservice-destination-missing';
import { detectIngressBypassesSubsetRouting } from './detectors/ingress-bypasses-subset-routing';
import { detectVirtualServiceRuleShadowed } from './detectors/virtualservice-rule-shadowed';
import {
  detectWebhookConnectTimeout,
  detectWebhookDeadline,
  detectWebhookNoEndpoints,
  detectWebhookServiceNotFound,
  detectWebhookX509,
} from './detectors/webhook-errors';
import { detectWaypointBindingRejected } from './detectors/waypoint-binding-rejected';
import { detectWaypointNotReady } from './detectors/waypoint-not-ready';
import { detectWebhookStaleConfiguration } from './detectors/webhook-stale-configuration';
import { detectXdsConfigRejected } from './detectors/xds-config-rejected';
import { detectXdsNoHealthyUpstream } from './detectors/xds-no-healthy-upstream';
import { detectZtunnelPolicyDenied } from './detectors/ztunnel-policy-denied';
import { detectZtunnelCertificateFailed } from './detectors/ztunnel-certificate-failed';
import { detectZtunnelVersionSkew } from './detectors/ztunnel-version-skew';
import { detectZtunnelXdsUnreachable } from './detectors/ztunnel-xds-unreachable';

/** Every detector, by the runbook id it serves. */
export const DETECTORS: ReadonlyMap<string, Detector> = new Map<string, Detector>([
  ['proxy-startup-econnrefused', detectProxyStartupEconnrefused],
  ['vault-injection-race', detectVaultInjectionRace],
  ['istiod-apiserver-connection', detectIstiodApiserverConnection],
  ['istiod-rbac-forbidden', detectIstiodRbacForbidden],
  ['istio-init-failure', detectIstioInitFailure],
  ['upstream-reset-503', detectUpstreamReset503],
  ['legacy-mixer-unavailable', detectLegacyMixerUnavailable],
  ['sidecar-not-injected', detectSidecarNotInjected],
  ['injector-cabundle-missing', detectInjectorCabundleMissing],
  ['pod-creation-failed', detectPodCreationFailed],
  ['xds-no-healthy-upstream', detectXdsNoHealthyUpstream],
  ['xds-config-rejected', detectXdsConfigRejected],
  ['webhook-connect-timeout', detectWebhookConnectTimeout],
  ['webhook-no-endpoints', detectWebhookNoEndpoints],
  ['webhook-service-not-found', detectWebhookServiceNotFound],
  ['webhook-x509-unknown-authority', detectWebhookX509],
  ['webhook-stale-configuration', detectWebhookStaleConfiguration],
  ['webhook-deadline-private-cluster', detectWebhookDeadline],
  ['native-sidecar-startup-blocked', detectNativeSidecarStartupBlocked],
  ['csm-control-plane-unhealthy', detectCsmControlPlaneUnhealthy],
  ['namespace-injection-label-conflict', detectNamespaceInjectionLabelConflict],
  ['virtualservice-gateway-mismatch', detectVirtualServiceGatewayMismatch],
  ['gateway-selector-no-workload', detectGatewaySelectorNoWorkload],
  ['gateway-port-not-exposed', detectGatewayPortNotExposed],
  ['gateway-tls-credential-invalid', detectGatewayTlsCredentialInvalid],
  ['gateway-server-conflict', detectGatewayServerConflict],
  ['jwt-claim-route-without-authn', detectJwtClaimRouteWithoutAuthn],
  ['gateway-api-crd-too-old', detectGatewayApiCrdTooOld],
  ['config-status-negative', detectConfigStatusNegative],
  ['port-protocol-undeclared', detectPortProtocolUndeclared],
  ['virtualservice-subset-missing', detectVirtualServiceSubsetMissing],
  ['sidecar-version-skew', detectSidecarVersionSkew],
  ['app-runs-as-proxy-uid', detectAppRunsAsProxyUid],
  ['injector-webhook-invalid', detectInjectorWebhookInvalid],
  ['sidecar-resource-conflict', detectSidecarResourceConflict],
  ['destinationrule-subset-no-pods', detectDestinationRuleSubsetNoPods],
  ['image-auto-not-injected', detectImageAutoNotInjected],
  ['destinationrule-host-unknown', detectDestinationRuleHostUnknown],
  ['meshnetworks-registry-unknown', detectMeshnetworksRegistryUnknown],
  ['virtualservice-host-conflict', detectVirtualServiceHostConflict],
  ['virtualservice-destination-missing', detectVirtualServiceDestinationMissing],
  ['envoyfilter-patch-fragile', detectEnvoyfilterPatchFragile],
  ['ingress-bypasses-subset-routing', detectIngressBypassesSubsetRouting],
  ['authz-policy-mismatch', detectAuthzPolicyMismatch],
  ['istio-annotation-ineffective', detectIstioAnnotationIneffective],
  ['virtualservice-rule-shadowed', detectVirtualServiceRuleShadowed],
  ['port-protocol-conflict', detectPortProtocolConflict],
  ['serviceentry-address-missing', detectServiceEntryAddressMissing],
  ['localhost-listener', detectLocalhostListener],
  ['ztunnel-xds-unreachable', detectZtunnelXdsUnreachable],
  ['ztunnel-certificate-failed', detectZtunnelCertificateFailed],
  ['ztunnel-version-skew', detectZtunnelVersionSkew],
  ['ambient-no-healthy-upstream', detectAmbientNoHealthyUpstream],
  ['ztunnel-policy-denied', detectZtunnelPolicyDenied],
  ['ambient-hbone-blocked', detectAmbientHboneBlocked],
  ['ambient-enrollment-failed', detectAmbientEnrollmentFailed],
  ['ambient-probe-blocked', detectAmbientProbeBlocked],
  ['waypoint-not-ready', detectWaypointNotReady],
  ['waypoint-binding-rejected', detectWaypointBindingRejected],
  ['ambient-l7-config-without-waypoint', detectAmbientL7ConfigWithoutWaypoint],
  ['istio-node-agent-quota', detectIstioNodeAgentQuota],
]);
