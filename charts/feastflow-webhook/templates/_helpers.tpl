{{/*
Labels of every object; the argument is the app.kubernetes.io/component.
No Helm bookkeeping labels: the chart renders the objects of
manifests/webhook, and the names are fixed (one webhook per cluster).
*/}}
{{- define "feastflow-webhook.labels" -}}
app.kubernetes.io/name: feastflow-webhook
app.kubernetes.io/part-of: feastflow
app.kubernetes.io/component: {{ . }}
{{- end }}

{{- define "feastflow-webhook.selector" -}}
app.kubernetes.io/name: feastflow-webhook
app.kubernetes.io/part-of: feastflow
{{- end }}

{{- define "feastflow-webhook.tag" -}}
{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "feastflow-webhook.selfManaged" -}}
{{- if eq .Values.certificates.mode "self-managed" }}true{{ end }}
{{- end }}
