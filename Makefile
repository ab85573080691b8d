# kubectl-feastflow: `make run` lints the shipped manifests, `make test` runs every test.
GO      ?= go
BIN     ?= bin
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null)
DATE    ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
# The same three variables .goreleaser.yaml sets (internal/buildinfo).
BUILDINFO := github.com/feastflow/kubectl-feastflow/internal/buildinfo
LDFLAGS := -s -w -X $(BUILDINFO).version=$(VERSION) -X $(BUILDINFO).commit=$(COMMIT) -X $(BUILDINFO).date=$(DATE)
# IMAGE_VERSION is the one version of the webhook image: its tag, its
# binary's --version, the manifests' and the chart's image reference (a
# test in tools/image checks they agree). It lives in the file VERSION.
IMAGE_VERSION := $(shell cat VERSION)
OPA     := $(GO) tool opa

.PHONY: all build build-webhook image run test unit-test opa-test controlplane controlplane-cluster cluster cluster-down fmt fmt-check vet bench docs docs-check install dist goreleaser ldflags clean

all: build

## build: build bin/kubectl-feastflow
build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/kubectl-feastflow ./cmd/kubectl-feastflow

## build-webhook: build bin/feastflow-webhook
build-webhook:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/feastflow-webhook ./cmd/feastflow-webhook

## image: build the feastflow-webhook image (linux/amd64 + linux/arm64, one OCI index) with Go
## tooling only, no Docker: $(BIN)/image/oci (OCI layout) and $(BIN)/image/feastflow-webhook-$(IMAGE_VERSION).oci.tar
image:
	$(GO) -C tools/image run . --root $(CURDIR) --out $(abspath $(BIN))/image

## controlplane: build (once, then cached) the pinned kube-apiserver, etcd and kubectl the integration tests run
controlplane:
	@tools/controlplane.sh >/dev/null

## controlplane-cluster: also build kube-controller-manager, kube-scheduler and KWOK (local cluster, rollout tests)
controlplane-cluster:
	@tools/controlplane.sh --cluster >/dev/null

## cluster: start a local cluster (KWOK nodes, feastflow-webhook as a local process) in the
## background, state in .cluster/; CLUSTER_FLAGS passes flags (e.g. --webhook=false --nodes=5)
cluster: controlplane-cluster build-webhook
	$(GO) build -o $(BIN)/feastflow-devcluster ./internal/devcluster
	KUBEBUILDER_ASSETS="$$(tools/controlplane.sh --cluster)" $(BIN)/feastflow-devcluster up --dir .cluster --webhook-bin $(BIN)/feastflow-webhook $(CLUSTER_FLAGS)

## cluster-down: stop the local cluster and everything it started (does nothing when none runs)
cluster-down:
	@if [ -x $(BIN)/feastflow-devcluster ]; then $(BIN)/feastflow-devcluster down --dir .cluster; \
	else $(GO) run ./internal/devcluster down --dir .cluster; fi

## install: install kubectl-feastflow into GOBIN so `kubectl feastflow` finds it
install:
	$(GO) install -trimpath -ldflags '$(LDFLAGS)' ./cmd/kubectl-feastflow
	dir="$$($(GO) env GOBIN)"; [ -n "$$dir" ] || dir="$$($(GO) env GOPATH)/bin"; \
	install -m 0755 cmd/kubectl-feastflow/kubectl_complete-feastflow "$$dir/"

## run: lint the shipped manifests with the embedded policies
run:
	$(GO) run ./cmd/kubectl-feastflow lint -R -f manifests/

## test: formatting, vet, all Go tests with the race detector (integration tests
## on a real kube-apiserver and etcd included), and stock `opa test`
test: fmt-check vet unit-test opa-test

unit-test: controlplane-cluster
	KUBEBUILDER_ASSETS="$$(tools/controlplane.sh --cluster)" $(GO) test -race -count=1 -timeout 30m ./...
	$(GO) -C tools/image test -count=1 -timeout 30m ./...
	KUBEBUILDER_ASSETS="$$(tools/controlplane.sh --cluster)" $(GO) -C tools/charttest test -race -count=1 ./...

opa-test:
	$(OPA) test --ignore '*.yaml' policies/

## fmt: gofmt and opa fmt the sources
fmt:
	gofmt -w $$(git ls-files '*.go')
	$(OPA) fmt -w policies/

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# vet builds with -race, as the tests do, so that a cold run compiles the
# main module's dependency graph once (race-instrumented), not twice.
vet:
	$(GO) vet -race ./...
	$(GO) -C tools/image vet ./...
	$(GO) -C tools/charttest vet -race ./...

## bench: engine and lint benchmarks (figures go to README's BENCHMARKS)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./policies/ ./plugin/linter/ | tee bench.out

## docs: regenerate README's rule catalog from rule metadata
docs:
	UPDATE_README=1 $(GO) test -run TestReadmeRuleCatalog ./plugin/cmd/rules/

## dist: snapshot release into dist/ with goreleaser (pinned in tools/release): archives for
## linux/darwin/windows × amd64/arm64 and checksums.txt, then tools/release's test installs
## each archive with krew from .krew.yaml rendered with their sha256 (about 40 minutes on 2 cores)
## (goreleaser's default 1-hour timeout is too short for six cross-builds on a busy 2-core machine)
dist: goreleaser
	$(BIN)/goreleaser release --snapshot --clean --timeout 3h
	cd tools/release && FEASTFLOW_DIST=$(CURDIR)/dist $(GO) test -count=1 .

goreleaser:
	$(GO) -C tools/release build -o $(CURDIR)/$(BIN)/goreleaser github.com/goreleaser/goreleaser/v2

## ldflags: print the linker flags that stamp version, commit and date
ldflags:
	@echo '$(LDFLAGS)'

clean:
	rm -rf $(BIN) bench.out
