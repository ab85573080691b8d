package apply

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
)

// Annotations of a Secret template: a Secret manifest without values that
// names its keys, so the values never live in git.
const (
	// SecretKeysAnnotation lists the keys the Secret must have, comma separated.
	SecretKeysAnnotation = "secrets.feastflow.io/keys"
	// SecretGenerateAnnotation lists keys that get a random value (32 bytes
	// from crypto/rand, base64url) when --secrets-from-env has none.
	SecretGenerateAnnotation = "secrets.feastflow.io/generate"
)

// secretValues are the values of --secrets-from-env, by "NAME.KEY" or "KEY".
type secretValues map[string]string

// readSecretValues reads a dotenv file: KEY=VALUE or SECRETNAME.KEY=VALUE
// lines, # comments, optional single or double quotes around the value.
// Errors name the line, never its value.
func readSecretValues(path string) (secretValues, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read --secrets-from-env: %w", err)
	}
	defer f.Close()
	values := secretValues{}
	scanner := bufio.NewScanner(f)
	for line := 1; scanner.Scan(); line++ {
		text := strings.TrimSpace(scanner.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		key, value, ok := strings.Cut(strings.TrimPrefix(text, "export "), "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			return nil, fmt.Errorf("%s:%d: want KEY=VALUE", path, line)
		}
		values[key] = unquote(strings.TrimSpace(value))
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return values, nil
}

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// isSecretTemplate reports a Secret that names its keys and carries no value.
func isSecretTemplate(obj *unstructured.Unstructured) bool {
	_, hasData := obj.Object["data"]
	_, hasStringData := obj.Object["stringData"]
	return obj.GetKind() == "Secret" && obj.GetAnnotations()[SecretKeysAnnotation] != "" && !hasData && !hasStringData
}

// applySecretTemplate creates the Secret when missing, or adds the keys it
// lacks; it never changes an existing value. The changes it returns name
// keys and where their values came from, never a value.
func (a *applier) applySecretTemplate(ctx context.Context, obj *unstructured.Unstructured) (appliedObject, []string, error) {
	ri, done, live, err := a.getLive(ctx, obj)
	if err != nil {
		return done, nil, err
	}
	exists := live != nil
	var existing map[string]any
	if exists {
		existing, _ = live.Object["data"].(map[string]any)
	}
	data, sources, err := a.missingSecretValues(obj, existing)
	if err != nil {
		return done, nil, fmt.Errorf("%s: %w", done.ref(), err)
	}
	opts := metav1.CreateOptions{FieldManager: FieldManager, DryRun: a.dryRun()}
	switch {
	case !exists:
		created := obj.DeepCopy()
		created.Object["data"] = data
		if _, err := ri.Create(ctx, created, opts); err != nil {
			return done, nil, fmt.Errorf("create %s: %w", done.ref(), err)
		}
		done.result = resultCreated
	case len(data) == 0:
		done.result = resultUnchanged
	default:
		patch, _ := json.Marshal(map[string]any{"data": data})
		popts := metav1.PatchOptions{FieldManager: FieldManager, DryRun: a.dryRun()}
		if _, err := ri.Patch(ctx, obj.GetName(), types.MergePatchType, patch, popts); err != nil {
			return done, nil, fmt.Errorf("add keys to %s: %w", done.ref(), err)
		}
		done.result = resultConfigured
	}
	return done, sources, nil
}

// missingSecretValues returns base64 values for the template's keys that
// existing lacks, and "KEY from env" / "KEY generated" for each.
func (a *applier) missingSecretValues(obj *unstructured.Unstructured, existing map[string]any) (map[string]any, []string, error) {
	generate := map[string]bool{}
	for _, k := range splitList(obj.GetAnnotations()[SecretGenerateAnnotation]) {
		generate[k] = true
	}
	data := map[string]any{}
	var sources, missing []string
	for _, key := range splitList(obj.GetAnnotations()[SecretKeysAnnotation]) {
		if _, ok := existing[key]; ok {
			continue
		}
		value, ok := a.o.secrets[obj.GetName()+"."+key]
		if !ok {
			value, ok = a.o.secrets[key]
		}
		switch {
		case ok:
			sources = append(sources, key+" from env")
		case generate[key]:
			v, err := randomSecret()
			if err != nil {
				return nil, nil, err
			}
			value = v
			sources = append(sources, key+" generated")
		default:
			missing = append(missing, key)
			continue
		}
		data[key] = base64.StdEncoding.EncodeToString([]byte(value))
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("no value for %s: set %s.KEY=... (or KEY=...) in --secrets-from-env, or list the key in %s",
			strings.Join(missing, ", "), obj.GetName(), SecretGenerateAnnotation)
	}
	return data, sources, nil
}

func randomSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate secret value: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
