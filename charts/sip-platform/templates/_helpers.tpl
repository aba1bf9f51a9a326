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

{{/*
Every deployable, as YAML to read with fromYaml: name -> {component, values (its entry in services, or gateway / web)}.
Templates range over this, never over a hand-kept list.
*/}}
{{- define "sip.deployables" -}}
{{- range $name, $svc := .Values.services }}
{{ $name }}:
  component: service
  values: {{ toJson $svc }}
{{- end }}
gateway:
  component: gateway
  values: {{ toJson (default (dict) .Values.gateway) }}
web:
  component: web
  values: {{ toJson (default (dict) .Values.web) }}
{{- end }}

{{/* The fewest replicas of a deployable: (dict "root" $ "values" VALUES) */}}
{{- define "sip.minReplicas" -}}
{{- if not (kindIs "invalid" .values.replicas) }}{{ .values.replicas }}{{ else }}{{ .root.Values.replicas }}{{ end }}
{{- end }}

{{/* The Service name and gRPC setting name of a called service: "case" -> Services__CaseGrpc */}}
{{- define "sip.grpcSetting" -}}
{{ printf "Services__%sGrpc" (. | replace "-" " " | title | replace " " "") }}
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
  value: {{ printf "http://0.0.0.0:%v" .Values.ports.http | quote }}
{{- /* /metrics answers only on connections to this port (Sip.ServiceDefaults MapMetricsEndpoint). */}}
- name: Kestrel__Endpoints__Metrics__Url
  value: {{ printf "http://0.0.0.0:%v" .Values.ports.metrics | quote }}
- name: Metrics__Port
  value: {{ .Values.ports.metrics | quote }}
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
  value: {{ printf "http://gateway:%v" .Values.ports.http | quote }}
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

{{/*
A connection string without a password: the password comes from its own variable (Database__Password,
DatabaseAdmin__Password), read from the Secret and applied by the service with NpgsqlConnectionStringBuilder,
so any character works. (dict "root" $ "host" HOST "usernameVar" VAR ["pool" MAXIMUM-POOL-SIZE])
*/}}
{{- define "sip.connectionString" -}}
{{- $db := .root.Values.database -}}
{{ printf "Host=%s;Port=%v;Database=%s;Username=$(%s);SSL Mode=%s" .host $db.port $db.name .usernameVar $db.sslMode }}
{{- with .pool }}{{ printf ";Maximum Pool Size=%v" . }}{{ end }}
{{- end }}

{{/* A secretKeyRef env var: (dict "name" VAR "secret" SECRET "key" KEY) */}}
{{- define "sip.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "a Secret name for %s is required" .name) .secret }}
      key: {{ .key }}
{{- end }}

{{/*
A service's own settings: (dict "root" $ "name" NAME "svc" SERVICE-VALUES "migrate" BOOL). The migrate Job
reaches the primary directly (database.migrationHost) and also gets the superuser.
*/}}
{{- define "sip.serviceEnv" -}}
{{- $v := .root.Values -}}
{{- $host := ternary (default $v.database.host $v.database.migrationHost) $v.database.host .migrate -}}
{{- $pool := ternary "" (default $v.database.maxPoolSize .svc.maxPoolSize) .migrate -}}
{{ include "sip.secretEnv" (dict "name" "SIP_DB_USERNAME" "secret" .svc.dbSecret "key" "username") }}
- name: ConnectionStrings__Database
  value: {{ include "sip.connectionString" (dict "root" .root "host" $host "usernameVar" "SIP_DB_USERNAME" "pool" $pool) | quote }}
{{ include "sip.secretEnv" (dict "name" "Database__Password" "secret" .svc.dbSecret "key" "password") }}
{{- if .migrate }}
{{ include "sip.secretEnv" (dict "name" "SIP_DB_ADMIN_USERNAME" "secret" $v.database.adminSecret "key" "username") }}
- name: ConnectionStrings__DatabaseAdmin
  value: {{ include "sip.connectionString" (dict "root" .root "host" $host "usernameVar" "SIP_DB_ADMIN_USERNAME") | quote }}
{{ include "sip.secretEnv" (dict "name" "DatabaseAdmin__Password" "secret" $v.database.adminSecret "key" "password") }}
{{- end }}
- name: RabbitMq__Host
  value: {{ $v.rabbitmq.host | quote }}
- name: RabbitMq__Port
  value: {{ $v.rabbitmq.port | quote }}
{{ include "sip.secretEnv" (dict "name" "RabbitMq__Username" "secret" $v.rabbitmq.secret "key" "username") }}
{{ include "sip.secretEnv" (dict "name" "RabbitMq__Password" "secret" $v.rabbitmq.secret "key" "password") }}
{{- if .svc.grpc }}
- name: Kestrel__Endpoints__Grpc__Url
  value: {{ printf "http://0.0.0.0:%v" $v.ports.grpc | quote }}
- name: Kestrel__Endpoints__Grpc__Protocols
  value: "Http2"
{{- end }}
{{- range .svc.calls }}
- name: {{ include "sip.grpcSetting" . }}
  value: {{ printf "http://%s:%v" . $v.ports.grpc | quote }}
{{- end }}
{{- if and (eq .name "statistics") (not .migrate) }}
{{- with $v.survey.pepperSecret }}
{{- /* Optional: statistics starts without it, and only SIP-kollen's endpoints refuse until the Secret exists. */}}
- name: Statistics__Survey__Pepper
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: pepper
      optional: true
{{- end }}
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
- name: Smtp__Security
  value: {{ $v.smtp.security | quote }}
{{- with $v.smtp.secret }}
{{ include "sip.secretEnv" (dict "name" "Smtp__Username" "secret" . "key" "username") }}
{{ include "sip.secretEnv" (dict "name" "Smtp__Password" "secret" . "key" "password") }}
{{- end }}
- name: Notification__LinkBaseUrl
  value: {{ include "sip.linkBaseUrl" .root | quote }}
- name: Sms__Endpoint
  value: {{ $v.sms.endpoint | quote }}
- name: Sms__Sender
  value: {{ $v.sms.sender | quote }}
{{- with $v.sms.secret }}
{{ include "sip.secretEnv" (dict "name" "Sms__Username" "secret" . "key" "username") }}
{{ include "sip.secretEnv" (dict "name" "Sms__Password" "secret" . "key" "password") }}
{{- end }}
# Webhooks go to https addresses only.
- name: Notification__AllowPlainHttpWebhooks
  value: "false"
- name: Notification__Defaults__ReminderBefore
  value: {{ $v.notification.reminderBefore | quote }}
- name: Notification__Defaults__Escalate
  value: {{ $v.notification.escalate | quote }}
- name: Notification__Defaults__EscalateAfter
  value: {{ $v.notification.escalateAfter | quote }}
- name: Notification__Defaults__DigestAt
  value: {{ $v.notification.digestAt | quote }}
{{- end }}
{{- end }}

{{/* The pod's spread over nodes and zones: (dict "root" $ "name" NAME) */}}
{{- define "sip.topologySpread" -}}
{{- $t := .root.Values.topologySpread -}}
{{- range $key, $when := dict "kubernetes.io/hostname" $t.hostname "topology.kubernetes.io/zone" $t.zone }}
{{- if $when }}
- maxSkew: 1
  topologyKey: {{ $key }}
  whenUnsatisfiable: {{ $when }}
  labelSelector:
    matchLabels:
      {{- include "sip.selectorLabels" (dict "root" $.root "name" $.name) | nindent 6 }}
  matchLabelKeys: [pod-template-hash]
{{- end }}
{{- end }}
{{- end }}
