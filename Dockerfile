# syntax=docker/dockerfile:1
# The feastflow-webhook image for people who build with Docker. It produces
# the same layout as `make image` (which needs no Docker and is what the
# project builds and tests): a static binary on an empty base, /etc/passwd
# and /etc/group naming the non-root user 65532, no shell, the same
# entrypoint and labels, linux/amd64 and linux/arm64 in one OCI index:
#
#   docker buildx build --platform linux/amd64,linux/arm64 \
#     --build-arg VERSION=$(cat VERSION) --build-arg REVISION=$(git rev-parse HEAD) \
#     --output type=oci,dest=bin/image/feastflow-webhook-$(cat VERSION).oci.tar \
#     -t ghcr.io/feastflow/feastflow-webhook:$(cat VERSION) .
#
# Digests differ from `make image` (BuildKit writes its own history and
# layer metadata); the files and the configuration are the same.
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
ARG TARGETOS TARGETARCH VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -buildvcs=false \
      -ldflags "-s -w -buildid= -X main.version=${VERSION}" -o /out/feastflow-webhook ./cmd/feastflow-webhook
RUN mkdir -p /out/etc /out/home/nonroot \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > /out/etc/passwd \
 && printf 'root:x:0:\nnonroot:x:65532:\n' > /out/etc/group

FROM scratch
ARG VERSION=dev REVISION=
COPY --from=build /out/etc/ /etc/
COPY --from=build --chown=65532:65532 /out/home/nonroot/ /home/nonroot/
COPY --from=build /out/feastflow-webhook /feastflow-webhook
LABEL org.opencontainers.image.title="feastflow-webhook" \
      org.opencontainers.image.description="Validating admission webhook enforcing the kubectl-feastflow policy catalog" \
      org.opencontainers.image.source="https://github.com/feastflow/kubectl-feastflow" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
ENV PATH=/
USER 65532:65532
WORKDIR /
ENTRYPOINT ["/feastflow-webhook"]
