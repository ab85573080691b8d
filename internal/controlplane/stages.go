package controlplane

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
)

// KWOKVersion is the version of sigs.k8s.io/kwok that tools/kwok/go.mod pins;
// tools/controlplane.sh --cluster builds it into BinDir/kwok-KWOKVersion/kwok
// and copies its stage files into BinDir/kwok-KWOKVersion/stages/.
const KWOKVersion = "v0.8.0"

// BrokenImageMarker marks an image KWOK is told to fail: a Pod with a
// container whose image tag contains it (for example "nginx:1.27-broken")
// stays Pending, that container waiting with reason BrokenImageReason, Ready
// False, and a Warning event "Failed" is recorded, as a kubelet does for an
// image it cannot pull. Deployments of such images never become Available,
// which is how tests provoke a broken rollout. See
// stages/pod-image-pull-failed.yaml.
const BrokenImageMarker = "broken"

// BrokenImageReason is the waiting reason of a container with a broken image.
const BrokenImageReason = "ImagePullBackOff"

// kwokStageSets are the stage files copied from the kwok module, in the
// order kwok reads them.
var kwokStageSets = []string{"node-fast.yaml", "node-heartbeat.yaml", "pod-fast.yaml", "volume-fast.yaml"}

//go:embed stages/*.yaml
var ownStages embed.FS

// kwokBinary is the kwok binary under bin.
func kwokBinary(bin string) string { return filepath.Join(bin, "kwok-"+KWOKVersion, "kwok") }

// stageConfigs returns the --config files for kwok: the stage sets built
// beside the kwok binary, then this package's own stages written into dir.
func stageConfigs(bin, dir string) ([]string, error) {
	var paths []string
	for _, name := range kwokStageSets {
		path := filepath.Join(bin, "kwok-"+KWOKVersion, "stages", name)
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("kwok stages (run tools/controlplane.sh --cluster): %w", err)
		}
		paths = append(paths, path)
	}
	entries, err := ownStages.ReadDir("stages")
	if err != nil {
		return nil, fmt.Errorf("read embedded stages: %w", err)
	}
	for _, entry := range entries {
		data, err := ownStages.ReadFile("stages/" + entry.Name())
		if err != nil {
			return nil, fmt.Errorf("read embedded stage %s: %w", entry.Name(), err)
		}
		path := filepath.Join(dir, "kwok-"+entry.Name())
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return nil, fmt.Errorf("write stage %s: %w", entry.Name(), err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}
