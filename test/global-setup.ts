// PLACEHOLDER: the envtest module replaces this with a setup that finds or builds the control-plane
// binaries once per run and exports KUBEBUILDER_ASSETS for the test workers.
export default async function setup(): Promise<void> {}
