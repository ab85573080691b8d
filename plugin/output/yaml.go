package output

import (
	"fmt"
	"io"

	"sigs.k8s.io/yaml"
)

// YAML prints the same document as JSON, as YAML. It goes through the JSON
// struct tags (sigs.k8s.io/yaml), so field names match; keys are sorted.
type YAML struct{}

// Print writes the report as YAML.
func (YAML) Print(w io.Writer, r *Report) error {
	out, err := yaml.Marshal(newDocument(r))
	if err != nil {
		return fmt.Errorf("write yaml: %w", err)
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("write yaml: %w", err)
	}
	return nil
}
