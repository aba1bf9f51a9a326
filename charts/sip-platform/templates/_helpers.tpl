{{/* Labels of one component: (dict "root" $ "name" NAME "component" COMPONENT) */}}
{{- define "sip.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: sip-platform
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end }}

{{- define "sip.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{/* Image of a deployable: (dict "root" $ "name" NAME) */}}
{{- define "sip.image" -}}
{{- $v := .root.Values.image -}}
{{- $tag := default .root.Chart.AppVersion $v.tag -}}
{{- if $v.registry -}}
{{ printf "%s/%s/%s:%s" $v.registry $v.repositoryPrefix .name $tag }}
{{- else -}}
{{ printf "%s/%s:%s" $v.repositoryPrefix .name $tag }}
{{- end -}}
{{- end }}

{{- define "sip.issuer" -}}
{{ default .Values.auth.authority .Values.auth.issuer }}
{{- end }}

{{- define "sip.linkBaseUrl" -}}
{{ default (printf "https://%s/" .Values.ingress.host) .Values.linkBaseUrl }}
{{- end }}

{{- define "sip.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1654
runAsGroup: 1654
fsGroup: 1654
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "sip.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
{{- end }}

{{/* Settings every deployable gets, inline (the migrate hooks run before any ConfigMap exists). */}}
{{- define "sip.sharedEnv" -}}
- name: ASPNETCORE_ENVIRONMENT
  value: {{ .Values.aspnetcoreEnvironment | quote }}
- name: Kestrel__Endpoints__Http__Url
  value: "http://0.0.0.0:8080"
- name: Auth__Authority
  value: {{ required "auth.authority (the region's OIDC issuer URL) is required" .Values.auth.authority | quote }}
- name: Auth__Issuer
  value: {{ include "sip.issuer" . | quote }}
- name: Auth__Audience
  value: {{ .Values.auth.audience | quote }}
{{- with .Values.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- end }}

{{/* The staff web app's settings: it signs staff in at the identity provider and calls the services through the gateway. */}}
{{- define "sip.webEnv" -}}
- name: Services__Gateway
  value: "http://gateway:8080"
- name: Oidc__Authority
  value: {{ default .Values.auth.authority .Values.web.oidc.authority | quote }}
- name: Oidc__ClientId
  value: {{ required "web.oidc.clientId is required" .Values.web.oidc.clientId | quote }}
- name: Oidc__Scope
  value: {{ .Values.web.oidc.scope | quote }}
{{- with .Values.web.oidc.clientSecret }}
- name: Oidc__ClientSecret
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: client-secret
      optional: true
{{- end }}
{{- end }}

{{/* A service's own settings: (dict "root" $ "name" NAME "svc" SERVICE-VALUES "admin" BOOL) */}}
{{- define "sip.serviceEnv" -}}
{{- $v := .root.Values -}}
- name: SIP_DB_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .svc.dbSecret }}
      key: username
- name: SIP_DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .svc.dbSecret }}
      key: password
- name: ConnectionStrings__Database
  value: {{ printf "Host=%s;Port=%v;Database=%s;Username=$(SIP_DB_USERNAME);Password=$(SIP_DB_PASSWORD);SSL Mode=%s" $v.database.host $v.database.port $v.database.name $v.database.sslMode | quote }}
{{- if .admin }}
- name: SIP_DB_ADMIN_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $v.database.adminSecret }}
      key: username
- name: SIP_DB_ADMIN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $v.database.adminSecret }}
      key: password
- name: ConnectionStrings__DatabaseAdmin
  value: {{ printf "Host=%s;Port=%v;Database=%s;Username=$(SIP_DB_ADMIN_USERNAME);Password=$(SIP_DB_ADMIN_PASSWORD);SSL Mode=%s" $v.database.host $v.database.port $v.database.name $v.database.sslMode | quote }}
{{- end }}
- name: RabbitMq__Host
  value: {{ $v.rabbitmq.host | quote }}
- name: RabbitMq__Port
  value: {{ $v.rabbitmq.port | quote }}
- name: RabbitMq__Username
  valueFrom:
    secretKeyRef:
      name: {{ $v.rabbitmq.secret }}
      key: username
- name: RabbitMq__Password
  valueFrom:
    secretKeyRef:
      name: {{ $v.rabbitmq.secret }}
      key: password
{{- if .svc.grpc }}
- name: Kestrel__Endpoints__Grpc__Url
  value: "http://0.0.0.0:8081"
- name: Kestrel__Endpoints__Grpc__Protocols
  value: "Http2"
{{- end }}
{{- if has .name (list "case" "meeting-scheduling") }}
- name: Services__ConsentGrpc
  value: "http://consent:8081"
{{- end }}
{{- if has .name (list "consent" "meeting-scheduling" "notification") }}
- name: Services__CaseGrpc
  value: "http://case:8081"
{{- end }}
{{- if eq .name "meeting-scheduling" }}
- name: Meetings__LinkBaseUrl
  value: {{ include "sip.linkBaseUrl" .root | quote }}
{{- end }}
{{- if eq .name "notification" }}
- name: Smtp__Host
  value: {{ $v.smtp.host | quote }}
- name: Smtp__Port
  value: {{ $v.smtp.port | quote }}
- name: Smtp__From
  value: {{ $v.smtp.from | quote }}
- name: Notification__LinkBaseUrl
  value: {{ include "sip.linkBaseUrl" .root | quote }}
{{- end }}
{{- end }}
