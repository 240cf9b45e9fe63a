{{/* The name of every object of this release. */}}
{{- define "ftop.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "ftop.selectorLabels" -}}
app.kubernetes.io/name: financetracker-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ftop.labels" -}}
{{ include "ftop.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: financetracker
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "ftop.image" -}}
{{- printf "%s/%s:%s" (trimSuffix "/" .Values.image.registry) .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* ClusterRole (every namespace) or Role (one namespace). */}}
{{- define "ftop.roleKind" -}}
{{- if .Values.watchNamespace }}Role{{ else }}ClusterRole{{ end -}}
{{- end -}}
