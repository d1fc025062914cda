// The controller-runtime peer of examples/memcached-operator for bench/runtime/compare.mjs: the same
// Memcached API (cache.example.com/v1alpha1, hand-written types, the example's CRD) and the same
// behaviour: a finalizer, one Deployment per Memcached (replicas = spec.size, controller owner
// reference), created or merge-patched when it drifts, and a status with Available / Progressing /
// Degraded + observedGeneration written (merge patch) only when it changed.
//
// --workload tutorial runs the operator-sdk tutorial's reconcile instead (tutorialReconcile below,
// the twin of bench/runtime/tutorial.ts).
//
// Flags: --kubeconfig (controller-runtime's), --workload example|tutorial, --workers N
// (MaxConcurrentReconciles), --qps, --burst (absent: controller-runtime's default, which is no
// client-side limit since v0.21; 0 or less = no client-side limit), --limiter shared|per-client.
// Prints {"ev":"first-reconcile","t":<unix ms>} on stdout at its first reconcile and
// {"ev":"exit","reconciles":N} when it stops (SIGTERM).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/flowcontrol"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"go.uber.org/zap/zapcore"
)

// ---- API types (what controller-gen would generate, written by hand) ----

var groupVersion = schema.GroupVersion{Group: "cache.example.com", Version: "v1alpha1"}

type MemcachedSpec struct {
	Size          int32  `json:"size"`
	Image         string `json:"image,omitempty"`
	ContainerPort int32  `json:"containerPort,omitempty"`
}

type MemcachedStatus struct {
	Conditions         []metav1.Condition `json:"conditions,omitempty"`
	ObservedGeneration int64              `json:"observedGeneration,omitempty"`
}

type Memcached struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              MemcachedSpec   `json:"spec,omitempty"`
	Status            MemcachedStatus `json:"status,omitempty"`
}

type MemcachedList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Memcached `json:"items"`
}

func (in *Memcached) DeepCopyInto(out *Memcached) {
	*out = *in
	in.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	if in.Status.Conditions != nil {
		out.Status.Conditions = make([]metav1.Condition, len(in.Status.Conditions))
		for i := range in.Status.Conditions {
			in.Status.Conditions[i].DeepCopyInto(&out.Status.Conditions[i])
		}
	}
}

func (in *Memcached) DeepCopy() *Memcached {
	if in == nil {
		return nil
	}
	out := new(Memcached)
	in.DeepCopyInto(out)
	return out
}

func (in *Memcached) DeepCopyObject() runtime.Object { return in.DeepCopy() }

func (in *MemcachedList) DeepCopyObject() runtime.Object {
	if in == nil {
		return nil
	}
	out := new(MemcachedList)
	*out = *in
	in.ListMeta.DeepCopyInto(&out.ListMeta)
	if in.Items != nil {
		out.Items = make([]Memcached, len(in.Items))
		for i := range in.Items {
			in.Items[i].DeepCopyInto(&out.Items[i])
		}
	}
	return out
}

// ---- controller ----

const (
	finalizer    = "cache.example.com/finalizer"
	defaultImage = "memcached:1.6"
	defaultPort  = 11211
)

type MemcachedReconciler struct {
	client.Client
	tutorial bool
	Scheme   *runtime.Scheme
	Recorder record.EventRecorder
	calls    atomic.Int64
	first    sync.Once
}

func (r *MemcachedReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	r.first.Do(func() { fmt.Printf("{\"ev\":\"first-reconcile\",\"t\":%d}\n", time.Now().UnixMilli()) })
	r.calls.Add(1)
	if r.tutorial {
		return r.tutorialReconcile(ctx, req)
	}
	logger := log.FromContext(ctx)

	mc := &Memcached{}
	if err := r.Get(ctx, req.NamespacedName, mc); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !mc.DeletionTimestamp.IsZero() {
		if !controllerutil.ContainsFinalizer(mc, finalizer) {
			return ctrl.Result{}, nil
		}
		r.Recorder.Event(mc, corev1.EventTypeWarning, "Deleting", fmt.Sprintf("Custom Resource %s is being deleted from the namespace %s", mc.Name, mc.Namespace))
		logger.Info("finalizing Memcached")
		patch := client.MergeFromWithOptions(mc.DeepCopy(), client.MergeFromWithOptimisticLock{})
		controllerutil.RemoveFinalizer(mc, finalizer)
		return ctrl.Result{}, client.IgnoreNotFound(r.Patch(ctx, mc, patch))
	}
	if !controllerutil.ContainsFinalizer(mc, finalizer) {
		patch := client.MergeFromWithOptions(mc.DeepCopy(), client.MergeFromWithOptimisticLock{})
		controllerutil.AddFinalizer(mc, finalizer)
		if err := r.Patch(ctx, mc, patch); err != nil {
			return ctrl.Result{}, client.IgnoreNotFound(err)
		}
	}

	desired, err := r.deploymentFor(mc)
	if err != nil {
		return ctrl.Result{}, err
	}
	orig := mc.DeepCopy()
	generation := mc.Generation
	dep := &appsv1.Deployment{}
	err = r.Get(ctx, req.NamespacedName, dep)
	switch {
	case apierrors.IsNotFound(err):
		err = r.Create(ctx, desired)
		if err == nil {
			dep = desired
			logger.Info("created Deployment", "deployment", req.Name)
		}
	case err == nil && drifted(dep, desired):
		var body []byte
		body, err = json.Marshal(map[string]any{"spec": desired.Spec})
		if err == nil {
			err = r.Patch(ctx, dep, client.RawPatch(types.MergePatchType, body))
		}
		if err == nil {
			logger.Info("updated Deployment", "deployment", req.Name)
		}
	}
	if err != nil {
		meta.SetStatusCondition(&mc.Status.Conditions, metav1.Condition{Type: "Degraded", Status: metav1.ConditionTrue, Reason: "DeploymentFailed", Message: err.Error(), ObservedGeneration: generation})
		if serr := r.Status().Patch(ctx, mc, client.MergeFrom(orig)); serr != nil {
			logger.Error(serr, "writing status")
		}
		return ctrl.Result{}, err
	}

	changed := observe(&mc.Status, dep, mc.Spec.Size, generation)
	if changed || mc.Status.ObservedGeneration != generation {
		mc.Status.ObservedGeneration = generation
		if err := r.Status().Patch(ctx, mc, client.MergeFrom(orig)); err != nil {
			return ctrl.Result{}, client.IgnoreNotFound(err)
		}
	}
	return ctrl.Result{}, nil
}

// tutorialReconcile is the operator-sdk Memcached tutorial's reconcile (full-object updates, a re-fetch
// from the cache after the first status update, requeue after a minute once the Deployment is created).
func (r *MemcachedReconciler) tutorialReconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	mc := &Memcached{}
	if err := r.Get(ctx, req.NamespacedName, mc); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if len(mc.Status.Conditions) == 0 {
		meta.SetStatusCondition(&mc.Status.Conditions, metav1.Condition{Type: "Available", Status: metav1.ConditionUnknown, Reason: "Reconciling", Message: "Starting reconciliation"})
		if err := r.Status().Update(ctx, mc); err != nil {
			return ctrl.Result{}, err
		}
		if err := r.Get(ctx, req.NamespacedName, mc); err != nil {
			return ctrl.Result{}, client.IgnoreNotFound(err)
		}
	}
	if !controllerutil.ContainsFinalizer(mc, finalizer) {
		controllerutil.AddFinalizer(mc, finalizer)
		if err := r.Update(ctx, mc); err != nil {
			return ctrl.Result{}, err
		}
	}
	if !mc.DeletionTimestamp.IsZero() {
		return ctrl.Result{}, nil
	}
	found := &appsv1.Deployment{}
	err := r.Get(ctx, req.NamespacedName, found)
	if apierrors.IsNotFound(err) {
		dep, err := r.deploymentFor(mc)
		if err != nil {
			return ctrl.Result{}, err
		}
		if err := r.Create(ctx, dep); err != nil {
			return ctrl.Result{}, err
		}
		return ctrl.Result{RequeueAfter: time.Minute}, nil
	} else if err != nil {
		return ctrl.Result{}, err
	}
	size := mc.Spec.Size
	if ptr.Deref(found.Spec.Replicas, 1) != size {
		found.Spec.Replicas = &size
		if err := r.Update(ctx, found); err != nil {
			return ctrl.Result{}, err
		}
		return ctrl.Result{Requeue: true}, nil
	}
	meta.SetStatusCondition(&mc.Status.Conditions, metav1.Condition{Type: "Available", Status: metav1.ConditionTrue, Reason: "Reconciling", Message: fmt.Sprintf("Deployment for custom resource (%s) with %d replicas created successfully", mc.Name, size)})
	if err := r.Status().Update(ctx, mc); err != nil {
		return ctrl.Result{}, err
	}
	return ctrl.Result{}, nil
}

// observe sets the three conditions from the Deployment; reports whether any changed.
func observe(st *MemcachedStatus, dep *appsv1.Deployment, size int32, generation int64) bool {
	s := dep.Status
	done := s.ObservedGeneration >= max(dep.Generation, 1) && s.AvailableReplicas >= size && s.UpdatedReplicas >= size
	msg := fmt.Sprintf("%d/%d replicas available", s.AvailableReplicas, size)
	changed := false
	if s.AvailableReplicas >= size {
		changed = meta.SetStatusCondition(&st.Conditions, metav1.Condition{Type: "Available", Status: metav1.ConditionTrue, Reason: "MinimumReplicasAvailable", Message: msg, ObservedGeneration: generation}) || changed
	} else {
		changed = meta.SetStatusCondition(&st.Conditions, metav1.Condition{Type: "Available", Status: metav1.ConditionFalse, Reason: "MinimumReplicasUnavailable", Message: msg, ObservedGeneration: generation}) || changed
	}
	if done {
		changed = meta.SetStatusCondition(&st.Conditions, metav1.Condition{Type: "Progressing", Status: metav1.ConditionFalse, Reason: "RolloutComplete", Message: fmt.Sprintf("Deployment %s has %d updated, available replicas", dep.Name, size), ObservedGeneration: generation}) || changed
	} else {
		changed = meta.SetStatusCondition(&st.Conditions, metav1.Condition{Type: "Progressing", Status: metav1.ConditionTrue, Reason: "Reconciling", Message: fmt.Sprintf("Deployment %s is rolling out %d replicas", dep.Name, size), ObservedGeneration: generation}) || changed
	}
	changed = meta.SetStatusCondition(&st.Conditions, metav1.Condition{Type: "Degraded", Status: metav1.ConditionFalse, Reason: "AsExpected", Message: "", ObservedGeneration: generation}) || changed
	return changed
}

func drifted(dep, desired *appsv1.Deployment) bool {
	if ptr.Deref(dep.Spec.Replicas, 1) != ptr.Deref(desired.Spec.Replicas, 1) || len(dep.Spec.Template.Spec.Containers) == 0 {
		return true
	}
	c, d := dep.Spec.Template.Spec.Containers[0], desired.Spec.Template.Spec.Containers[0]
	return c.Image != d.Image || len(c.Ports) == 0 || c.Ports[0].ContainerPort != d.Ports[0].ContainerPort
}

func (r *MemcachedReconciler) deploymentFor(mc *Memcached) (*appsv1.Deployment, error) {
	labels := map[string]string{"app.kubernetes.io/name": "memcached", "app.kubernetes.io/instance": mc.Name, "app.kubernetes.io/managed-by": "memcached-operator"}
	image := mc.Spec.Image
	if image == "" {
		image = defaultImage
	}
	port := mc.Spec.ContainerPort
	if port == 0 {
		port = defaultPort
	}
	size := mc.Spec.Size
	if size == 0 {
		size = 1
	}
	dep := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: mc.Name, Namespace: mc.Namespace, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(size),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					SecurityContext: &corev1.PodSecurityContext{RunAsNonRoot: ptr.To(true), SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}},
					Containers: []corev1.Container{{
						Name:            "memcached",
						Image:           image,
						ImagePullPolicy: corev1.PullIfNotPresent,
						Command:         []string{"memcached", "--memory-limit=64", "-o", "modern", "-v"},
						Ports:           []corev1.ContainerPort{{ContainerPort: port, Name: "memcached"}},
						SecurityContext: &corev1.SecurityContext{RunAsNonRoot: ptr.To(true), RunAsUser: ptr.To(int64(1001)), AllowPrivilegeEscalation: ptr.To(false), Capabilities: &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}}},
					}},
				},
			},
		},
	}
	if err := ctrl.SetControllerReference(mc, dep, r.Scheme); err != nil {
		return nil, err
	}
	return dep, nil
}

func main() {
	qps := flag.Float64("qps", -2, "client-side requests per second; 0 or -1: no limit; absent: controller-runtime's default")
	workload := flag.String("workload", "example", "example or tutorial")
	workers := flag.Int("workers", 4, "MaxConcurrentReconciles")
	burst := flag.Int("burst", 30, "client-side burst")
	logLevel := flag.String("log-level", "info", "info or error")
	limiter := flag.String("limiter", "shared", "shared: one token bucket for every client of the process (what tsop does); "+
		"per-client: controller-runtime's default, a bucket per REST client (one per kind, one for events)")
	flag.Parse()
	opts := zap.Options{}
	if *logLevel == "error" {
		opts.Level = zapcore.ErrorLevel
	}
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&opts)))

	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		panic(err)
	}
	scheme.AddKnownTypes(groupVersion, &Memcached{}, &MemcachedList{})
	metav1.AddToGroupVersion(scheme, groupVersion)

	cfg := ctrl.GetConfigOrDie() // --kubeconfig
	if *qps == -2 {
		// controller-runtime's default (GetConfig leaves no client-side limit)
	} else if *qps > 0 {
		cfg.QPS, cfg.Burst = float32(*qps), *burst
		if *limiter == "shared" {
			cfg.RateLimiter = flowcontrol.NewTokenBucketRateLimiter(cfg.QPS, cfg.Burst)
		}
	} else {
		cfg.QPS, cfg.Burst = -1, *burst // client-go: a negative QPS means no rate limiter
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                 scheme,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		LeaderElection:         false,
	})
	if err != nil {
		panic(err)
	}
	r := &MemcachedReconciler{Client: mgr.GetClient(), Scheme: scheme, Recorder: mgr.GetEventRecorderFor("memcached-controller"), tutorial: *workload == "tutorial"}
	if err := ctrl.NewControllerManagedBy(mgr).For(&Memcached{}).Owns(&appsv1.Deployment{}).Named("memcached").
		WithOptions(controller.Options{MaxConcurrentReconciles: *workers}).Complete(r); err != nil {
		panic(err)
	}
	if err := mgr.Start(ctrl.SetupSignalHandler()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("{\"ev\":\"exit\",\"reconciles\":%d}\n", r.calls.Load())
}
