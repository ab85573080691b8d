package cmdutil

import (
	"encoding/json"
	"io"
)

// WriteJSON writes v to w as JSON indented by two spaces, with a final
// newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
