#!/usr/bin/env bash
# A scripted tour of Serin: a canary of demo/shop at 3 %, moved to 0.5 % and 25 % through the REST API, then to 0 %
# with a tester header (a request with x-canary: always reaches the canary, one without reaches stable), and beside
# it, where the cluster has it (the playground seeds it), a canary of demo/cart at 3 % through Gateway API's HTTPRoute;
# then both stopped, checking at every step what the routes (and, on the playground, simulated traffic) say. Then, on the
# playground, the autopilot: a canary of demo/catalog stepping 1 -> 5 -> 10 % on its own while Prometheus says it is
# healthy, until injected faults make it answer 503 and it rolls back to 0 (phase Aborted). Last, compare mode: two
# canaries judged against their stable versions side by side, demo/checkout's 30 % slower (the judge finds
# latencyP99 High and the autopilot rolls it back) and demo/search's as fast as stable (it steps on).
#
#   SERIN_OPTS=-Dserin.api.auth=none bin/playground      # in one terminal
#   k8s/examples/tour.sh                                  # in another
#
# Environment:
#   KUBECONFIG   the cluster (default: the playground's, target/playground/kubeconfig)
#   SERIN_URL    Serin's HTTP address (default http://localhost:8080)
#   TOKEN        bearer token for Serin's REST API (kubectl create token NAME --audience serin); sent only when set
#                (not needed with serin.api.auth=none)
#   TRAFFIC_URL  the playground's traffic view (default http://localhost:8081/playground/traffic);
#                set it empty (TRAFFIC_URL=) to skip the traffic checks and the tester requests, e.g. on a real cluster
#   TOUR_TIMEOUT seconds to wait for each change to reach the VirtualService (default 60)
#   TOUR_TRAFFIC_FILL seconds after a route change before the traffic view's last 10,000 requests all took the new
#                route (default 6: the playground sends 1,000 every 0.5 s; the tour's test in CI, 10 times as fast, 2)
#   PROMETHEUS_URL the Prometheus the autopilot example asks (default http://localhost:9091, the one bin/playground
#                starts when prometheus is installed); set it empty (PROMETHEUS_URL=) to skip the autopilot part.
#                The autopilot part needs the playground (TRAFFIC_URL): it injects faults through it.
#   TOUR_AUTOPILOT_INTERVAL the autopilot's interval per step (default 30s, as in the example; e.g. 5s for a quick
#                run: the tour's test in CI uses 3s). The compare-mode examples keep their own 20s: each check needs
#                ten 2 s samples per side
#   KUBECTL      the kubectl to use (default: kubectl on PATH)
# Needs bash, kubectl and curl. Exits non-zero, saying what differed, at the first check that fails.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export KUBECONFIG=${KUBECONFIG:-$root/target/playground/kubeconfig}
SERIN_URL=${SERIN_URL:-http://localhost:8080}
SERIN_URL=${SERIN_URL%/}
TRAFFIC_URL=${TRAFFIC_URL-http://localhost:8081/playground/traffic}
PROMETHEUS_URL=${PROMETHEUS_URL-http://localhost:9091}
PROMETHEUS_URL=${PROMETHEUS_URL%/}
autopilot_interval=${TOUR_AUTOPILOT_INTERVAL:-30s}
TOKEN=${TOKEN:-}
timeout=${TOUR_TIMEOUT:-60}
traffic_fill=${TOUR_TRAFFIC_FILL:-6}
[[ $traffic_fill =~ ^[0-9]+$ ]] || { echo "TOUR_TRAFFIC_FILL must be a whole number of seconds, not '$traffic_fill'" >&2; exit 2; }
KUBECTL=${KUBECTL:-kubectl}
ns=demo
name=shop
canary_file=$root/k8s/examples/canary.yaml
autopilot_name=catalog
autopilot_file=src/test/resources/playground/catalog-canary.yaml
slower_name=checkout
slower_file=src/test/resources/playground/checkout-canary.yaml
equal_name=search
equal_file=src/test/resources/playground/search-canary.yaml
gateway_name=cart
gateway_file=src/test/resources/playground/cart-canary.yaml

step=0
say() { echo "$*"; }
title() {
  step=$((step + 1))
  echo
  echo "== $step. $*"
}
ok() { echo "   ok: $*"; }
fail() {
  echo "tour: FAILED: $*" >&2
  exit 1
}
k() { "$KUBECTL" "$@"; }

started=0
started_name=$name
on_exit() {
  local rc=$?
  if [[ $rc != 0 && $started == 1 ]]; then
    echo "tour: the Canary may still be there; inspect it with" \
      "'kubectl get canary $started_name -n $ns -o yaml', remove it with 'kubectl delete canary $started_name -n $ns'" >&2
  fi
}
trap on_exit EXIT

# "stable=97 canary=3": the destinations of the VirtualService's routes, subset=weight (VirtualService $1, default $name)
routes() {
  k get virtualservice "${1:-$name}" -n "$ns" \
    -o 'jsonpath={range .spec.http[*].route[*]}{.destination.subset}={.weight} {end}' | sed 's/ $//'
}

# "cart-stable=97 cart-canary=3": the backendRefs of the HTTPRoute $1's rules, name=weight
backend_refs() {
  k get httproute "$1" -n "$ns" -o 'jsonpath={range .spec.rules[*].backendRefs[*]}{.name}={.weight} {end}' |
    sed 's/ $//'
}

# "serin-testers-0 -": the names of the VirtualService $1's HTTP routes, - for an unnamed one
route_names() {
  k get virtualservice "$1" -n "$ns" -o 'jsonpath={range .spec.http[*]}[{.name}]{end}' |
    sed -e 's/\[\]/[-]/g' -e 's/\]\[/ /g' -e 's/^\[//' -e 's/\]$//'
}

# waits until the reader ($3 and on) reads $1, or matches the regular expression after a leading ~; what it reads is
# called $2 in the message (waiting at most $limit seconds, default $timeout)
routes_since=$SECONDS
await_reading() {
  local want=$1 what=$2 have=
  shift 2
  local deadline=$((SECONDS + ${limit:-$timeout}))
  while :; do
    have=$("$@" 2>/dev/null) || have="(unreadable)"
    if [[ $have == "$want" || ($want == "~"* && $have =~ ${want:1}) ]]; then
      routes_since=$SECONDS
      return 0
    fi
    if ((SECONDS >= deadline)); then
      fail "$what read '$have' after ${limit:-$timeout}s, expected '$want'"
    fi
    sleep 0.5
  done
}

# waits until routes() reads $1, or matches the regular expression after a leading ~ (VirtualService $2, default
# $name; waiting at most $3 seconds, default $timeout)
wait_routes() {
  local vs=${2:-$name}
  limit=${3:-$timeout} await_reading "$1" "VirtualService $ns/$vs routes" routes "$vs"
}

# 12.5 -> 1250
hundredths() {
  [[ $1 =~ ^([0-9]+)(\.([0-9]+))?$ ]] || return 1
  local frac=${BASH_REMATCH[3]}00
  echo $((10#${BASH_REMATCH[1]} * 100 + 10#${frac:0:2}))
}

# the canary's share of the traffic view's last 10,000 simulated requests is within half a point of $1 percent
# (3 standard deviations at 3 %) for Canary $2 (default $name). The playground's view sends 1,000 requests every
# 0.5 s, so the window holds only requests on the new route 5 s after the route changed: the check looks from
# $traffic_fill seconds (default 6) on.
check_traffic() {
  local want=$1 canary=${2:-$name} want_h body share requests deadline=$((SECONDS + timeout))
  if [[ -z $TRAFFIC_URL ]]; then
    say "   skipped: no TRAFFIC_URL (the playground's traffic view) given"
    return 0
  fi
  want_h=$(hundredths "$want")
  say "   reading $TRAFFIC_URL once the last 10,000 simulated requests all took the new route..."
  while ((SECONDS < routes_since + traffic_fill)); do
    sleep 0.5
  done
  local pattern='"namespace" *: *"'$ns'" *, *"name" *: *"'$canary'"[^}]*"requests" *: *([0-9]+)[^}]*"canaryShare" *: *([0-9.]+)'
  while :; do
    body=$(curl -sf --max-time 5 "$TRAFFIC_URL" 2>/dev/null) || body=
    body=${body//$'\n'/ }
    share=
    if [[ $body =~ $pattern ]]; then
      requests=${BASH_REMATCH[1]}
      share=${BASH_REMATCH[2]}
      local h
      h=$(hundredths "$share")
      if ((requests >= 10000 && h >= want_h - 50 && h <= want_h + 50)); then
        ok "the canary of $canary served $share % of the last $requests simulated requests (spec.weight $want %)"
        return 0
      fi
    fi
    if ((SECONDS >= deadline)); then
      [[ -n $body ]] || fail "no answer from the traffic view at $TRAFFIC_URL (set TRAFFIC_URL= to skip this check)"
      fail "the canary's share of simulated traffic is ${share:-not reported} %, not near $want %"
    fi
    sleep 0.5
  done
}

# PUT the weight through Serin's REST API, waiting for traffic to carry it
put_weight() {
  local weight=$1 out code body
  local auth=()
  [[ -z $TOKEN ]] || auth=(-H "Authorization: Bearer $TOKEN")
  say "   \$ curl -X PUT '$SERIN_URL/api/v1/namespaces/$ns/canaries/$name/weight?wait=30s' -d '{\"weight\":$weight}'"
  out=$(curl -sS --max-time 40 -w '\n%{http_code}' -X PUT "${auth[@]}" -H 'Content-Type: application/json' \
    -d "{\"weight\":$weight}" "$SERIN_URL/api/v1/namespaces/$ns/canaries/$name/weight?wait=30s") ||
    fail "no answer from Serin at $SERIN_URL"
  code=${out##*$'\n'}
  body=${out%$'\n'*}
  case "$code" in
    200) ok "HTTP 200: Serin set spec.weight to $weight and traffic carries it" ;;
    202) ok "HTTP 202: spec.weight is $weight; traffic had not reached it within 30s" ;;
    401) fail "HTTP 401 from Serin: its REST API wants a Kubernetes token. Set TOKEN, or on the playground start" \
      "Serin with SERIN_OPTS=-Dserin.api.auth=none bin/playground. Answer: $body" ;;
    *) fail "HTTP $code from Serin: $body" ;;
  esac
}

# ---------------------------------------------------------------------------------------------------------------------

title "Preflight: the cluster, Serin and the demo service"
for tool in "$KUBECTL" curl; do
  command -v "$tool" >/dev/null || fail "$tool not found on PATH"
done
server=$(k config view --minify -o 'jsonpath={.clusters[0].cluster.server}' 2>/dev/null) ||
  fail "cannot read the kubeconfig $KUBECONFIG (start the playground with bin/playground, or set KUBECONFIG)"
k get --raw /version >/dev/null 2>&1 || fail "the Kubernetes API at $server does not answer (KUBECONFIG=$KUBECONFIG)"
ok "Kubernetes API at $server"
[[ $(k api-resources --api-group=serin.dev -o name 2>/dev/null) == *canaries.serin.dev* ]] ||
  fail "no canaries.serin.dev CRD in the cluster (install Serin with kubectl apply -k k8s/)"
ok "the Canary CRD is installed"
curl -sf --max-time 5 -o /dev/null "$SERIN_URL/q/health/ready" ||
  fail "Serin does not answer ready at $SERIN_URL/q/health/ready (set SERIN_URL)"
ok "Serin is ready at $SERIN_URL"
k get deployment "$name" -n "$ns" -o name >/dev/null 2>&1 ||
  fail "no Deployment $ns/$name (the playground seeds it; elsewhere: kubectl apply -f k8s/examples/demo-app.yaml)"
if k get canary "$name" -n "$ns" -o name >/dev/null 2>&1; then
  fail "a Canary $ns/$name already exists; remove it first: kubectl delete canary $name -n $ns"
fi
vs_before=$(k get virtualservice "$name" -n "$ns" -o 'jsonpath={.spec}') || fail "no VirtualService $ns/$name"
dr_before=$(k get destinationrule "$name" -n "$ns" -o 'jsonpath={.spec}') || fail "no DestinationRule $ns/$name"
ok "Deployment, VirtualService and DestinationRule $ns/$name are there; their specs are saved for the end"
say "   VirtualService $name spec: $vs_before"

title "Start a canary of $ns/$name at 3 %"
say "   \$ kubectl apply -f k8s/examples/canary.yaml"
started=1
k apply -f "$canary_file" | sed 's/^/   /'
say "   waiting for Serin to copy the Deployment, add the subsets and write the weights..."
wait_routes "stable=97 canary=3"
ok "VirtualService $name routes: stable 97, canary 3"
ready=$(k get deployment "$name-canary" -n "$ns" -o 'jsonpath={.status.readyReplicas}/{.spec.replicas}') ||
  fail "no canary Deployment $ns/$name-canary"
ok "canary Deployment $name-canary: $ready pods ready (ceil(40 x 3 %) = 2)"

title "Check the share of (simulated) traffic the canary gets"
check_traffic 3

title "Move the canary to 0.5 % through Serin's REST API"
put_weight 0.5
wait_routes "stable=199 canary=1"
ok "VirtualService $name routes: stable 199, canary 1"

title "Move the canary to 25 % through Serin's REST API"
put_weight 25
wait_routes "stable=3 canary=1"
ok "VirtualService $name routes: stable 3, canary 1"
ready=$(k get deployment "$name-canary" -n "$ns" -o 'jsonpath={.status.readyReplicas}/{.spec.replicas}')
ok "canary Deployment $name-canary: $ready pods ready (ceil(40 x 25 %) = 10)"

title "Testers: at weight 0, requests with the header x-canary: always still reach the canary"
put_weight 0
# all to stable: the stable subset alone, or beside the canary at weight 0
wait_routes "~^stable=[0-9]*( canary=0)?$"
ok "VirtualService $name routes read '$(routes)': every request to stable, none to the canary"
say "   \$ kubectl canary testers $name --header x-canary=always -n $ns"
"$root/bin/kubectl-canary" testers "$name" --header x-canary=always -n "$ns" | sed 's/^/   /'
limit=$timeout await_reading "~^serin-testers-" "VirtualService $ns/$name route names" route_names "$name"
ok "VirtualService $name routes, in order: $(route_names "$name") (Serin's tester route first, matching the header)"
if [[ -z $TRAFFIC_URL ]]; then
  say "   skipped sending requests: no TRAFFIC_URL (the playground's traffic view) given"
else
  request_url="${TRAFFIC_URL%/traffic}/request?namespace=$ns&host=$name"
  # one simulated request through the VirtualService's routes, with the headers given ($@, curl's -H arguments)
  send_request() {
    curl -sS --max-time 5 "$@" "$request_url" || fail "no answer from the playground at $request_url"
  }
  # "v2": the field $2 of the JSON answer $1
  field() { [[ $1 =~ \"$2\":\"?([^\",}]*) ]] && echo "${BASH_REMATCH[1]}"; }
  say "   \$ curl -H 'x-canary: always' '$request_url'"
  answer=$(send_request -H 'x-canary: always')
  say "   $answer"
  [[ $(field "$answer" version) == v2 ]] || fail "the request with x-canary: always did not reach the canary: $answer"
  ok "the request with x-canary: always reached the canary (v2, a pod of $(field "$answer" deployment)) through" \
    "route $(field "$answer" route), at weight 0"
  say "   \$ curl '$request_url'"
  answer=$(send_request)
  say "   $answer"
  [[ $(field "$answer" version) == v1 ]] || fail "the request without the header did not reach stable: $answer"
  ok "the request without it reached stable (v1, a pod of $(field "$answer" deployment))"
fi

# ---------------------------------------------------------------------------------------------------------------------
# Gateway API: the same exact split in an HTTPRoute (where the cluster has the playground's demo/cart)

gateway_done=0
if ! k get httproute "$gateway_name" -n "$ns" -o name >/dev/null 2>&1; then
  title "Gateway API (skipped)"
  say "   skipped: no HTTPRoute $ns/$gateway_name (the playground seeds it, with its Service and Deployment)"
else
  title "Beside it, a canary of $ns/$gateway_name at 3 % through Gateway API's HTTPRoute"
  if k get canary "$gateway_name" -n "$ns" -o name >/dev/null 2>&1; then
    fail "a Canary $ns/$gateway_name already exists; remove it first: kubectl delete canary $gateway_name -n $ns"
  fi
  hr_before=$(k get httproute "$gateway_name" -n "$ns" -o 'jsonpath={.spec}')
  say "   HTTPRoute $gateway_name backendRefs: $(backend_refs "$gateway_name")"
  say "   \$ kubectl apply -f $gateway_file   # spec.traffic.httpRoutes: [$gateway_name]"
  started=1
  started_name="$name $gateway_name"
  k apply -f "$root/$gateway_file" | sed 's/^/   /'
  say "   waiting for Serin to make the Services $gateway_name-stable and $gateway_name-canary and, once they have" \
    "ready endpoints, write the weights..."
  limit=$timeout await_reading "$gateway_name-stable=97 $gateway_name-canary=3" \
    "HTTPRoute $ns/$gateway_name backendRefs" backend_refs "$gateway_name"
  ok "HTTPRoute $gateway_name backendRefs: $gateway_name-stable 97, $gateway_name-canary 3"
  check_traffic 3 "$gateway_name"
  gateway_done=1
fi

title "Where things stand (kubectl canary status; DIALECT: which routes carry each canary)"
"$root/bin/kubectl-canary" status -n "$ns" | sed 's/^/   /'

if [[ $gateway_done == 1 ]]; then
  title "Stop the Gateway API canary"
  say "   \$ kubectl delete canary $gateway_name -n $ns --wait"
  k delete canary "$gateway_name" -n "$ns" --wait=true --timeout="${timeout}s" | sed 's/^/   /' ||
    fail "the Canary $gateway_name was not gone within ${timeout}s"
  started_name=$name
  hr_after=$(k get httproute "$gateway_name" -n "$ns" -o 'jsonpath={.spec}')
  [[ $hr_after == "$hr_before" ]] ||
    fail "HTTPRoute $ns/$gateway_name differs from before:"$'\n'"  before: $hr_before"$'\n'"  after:  $hr_after"
  ok "Canary gone; HTTPRoute $gateway_name spec exactly as before: backendRefs $(backend_refs "$gateway_name")"
  for svc in "$gateway_name-stable" "$gateway_name-canary"; do
    if k get service "$svc" -n "$ns" -o name >/dev/null 2>&1; then
      fail "the Service $ns/$svc is still there"
    fi
  done
  ok "the Services $gateway_name-stable and $gateway_name-canary are gone"
fi

title "Stop the canary"
say "   \$ kubectl delete canary $name -n $ns --wait"
k delete canary "$name" -n "$ns" --wait=true --timeout="${timeout}s" | sed 's/^/   /' ||
  fail "the Canary was not gone within ${timeout}s"
started=0
if k get deployment "$name-canary" -n "$ns" -o name >/dev/null 2>&1; then
  fail "the canary Deployment $ns/$name-canary is still there"
fi
ok "Canary and canary Deployment gone"
vs_after=$(k get virtualservice "$name" -n "$ns" -o 'jsonpath={.spec}')
[[ $vs_after == "$vs_before" ]] ||
  fail "VirtualService $ns/$name differs from before the tour:"$'\n'"  before: $vs_before"$'\n'"  after:  $vs_after"
ok "VirtualService $name spec exactly as before the tour: $vs_after"
dr_after=$(k get destinationrule "$name" -n "$ns" -o 'jsonpath={.spec}')
if [[ $dr_after == "$dr_before" ]]; then
  ok "DestinationRule $name spec exactly as before the tour: $dr_after"
else
  # Serin removes the subsets it added but leaves an empty list where the rule had none: the same to Istio
  dr_trimmed=${dr_after//,\"subsets\":\[\]/}
  dr_trimmed=${dr_trimmed//\"subsets\":\[\],/}
  [[ $dr_trimmed == "$dr_before" ]] ||
    fail "DestinationRule $ns/$name differs from before the tour:"$'\n'"  before: $dr_before"$'\n'"  after:  $dr_after"
  ok "DestinationRule $name: the stable and canary subsets are gone: $dr_after"
  say "   note: before the tour it read $dr_before; Serin leaves an empty subsets list behind (same meaning to Istio)"
fi

# ---------------------------------------------------------------------------------------------------------------------
# The autopilot (playground only: the faults come from its simulated traffic)

# 30s -> 30, 2m -> 120 (the forms the tour accepts for TOUR_AUTOPILOT_INTERVAL)
seconds() {
  [[ $1 =~ ^([0-9]+)(s|m)$ ]] || fail "TOUR_AUTOPILOT_INTERVAL must be like 30s or 1m, not '$1'"
  if [[ ${BASH_REMATCH[2]} == m ]]; then echo $((BASH_REMATCH[1] * 60)); else echo "${BASH_REMATCH[1]}"; fi
}

# "Progressing 5": the autopilot Canary's status.phase and status.weight (the weight traffic carries)
phase_weight() {
  k get canary "$autopilot_name" -n "$ns" -o 'jsonpath={.status.phase} {.status.weight}'
}

# the newest analysis in status, e.g. "13:24:47Z Pass: requests=612.3 successRate=100 latencyP99=46.2"
last_analysis() {
  k get canary "$autopilot_name" -n "$ns" \
    -o 'jsonpath={range .status.analysis[*]}{.time} {.result}:{range .metrics[*]} {.name}={.value}{end}{"\n"}{end}' |
    tail -n 1 | sed -E -e 's/=([0-9]+)\.([0-9])[0-9]*/=\1.\2/g' -e 's/^[0-9-]+T//'
}

# "Aborted 0": status.phase and status.weight of Canary $1
phase_weight_of() {
  k get canary "$1" -n "$ns" -o 'jsonpath={.status.phase} {.status.weight}'
}

# Canary $1's analyses in status, oldest first: a line "@<time> <result> <score> <judgement>" (tab-separated) per
# check, then a line per metric: name, classification, canary samples and median, stable samples and median, effect
# size, shift estimate and its interval's lower and upper end (empty where absent)
judge_records() {
  k get canary "$1" -n "$ns" -o 'jsonpath={range .status.analysis[*]}{"@"}{.time}{"\t"}{.result}{"\t"}{.score}{"\t"}{.judgement}{"\n"}{range .metrics[*]}{.name}{"\t"}{.classification}{"\t"}{.canarySamples}{"\t"}{.canaryMedian}{"\t"}{.stableSamples}{"\t"}{.stableMedian}{"\t"}{.effectSize}{"\t"}{.estimate}{"\t"}{.interval.lower}{"\t"}{.interval.upper}{"\n"}{end}{end}'
}

# the newest check of judge_records' output; passed_record: the newest that passed
last_record() { awk '/^@/ { r = "" } { r = r $0 "\n" } END { printf "%s", r }'; }
passed_record() {
  awk -F '\t' '/^@/ { if (c != "") r = c; c = ($2 == "Pass") ? $0 "\n" : ""; next }
    c != "" { c = c $0 "\n" } END { if (c != "") r = c; printf "%s", r }'
}

# $1 rounded to $2 decimals (default 1); "-" when empty
round() {
  if [[ -z $1 ]]; then echo -; else LC_ALL=C printf "%.${2:-1}f" "$1"; fi
}

# whether the number $1 is at least $2 (greater when $2 is 0)
above() {
  [[ -n $1 ]] && awk -v a="$1" -v b="$2" 'BEGIN { exit !(b == 0 ? a > b : a >= b) }'
}

# prints one check of judge_records: its verdict and score, then each compared metric's basis
show_record() {
  local time result score judgement name class cn cm sn sm effect estimate lower upper unit basis
  IFS='|' read -r time result score judgement <<<"$(head -n 1 <<<"$1" | tr '\t' '|')"
  say "   the check at ${time#@}: $result, judge's score $(round "$score" 0) ($judgement)"
  while IFS='|' read -r name class cn cm sn sm effect estimate lower upper; do
    [[ -n $class ]] || continue
    case $name in latencyP99) unit=" ms" ;; successRate) unit=" %" ;; *) unit= ;; esac
    basis=
    [[ -z $estimate ]] || basis="; shift $(round "$estimate")$unit, 98 % interval $(round "$lower")..$(round "$upper")$unit"
    say "     $name $class: canary $cn samples, median $(round "$cm")$unit; stable $sn samples, median" \
      "$(round "$sm")$unit; effect size $(round "$effect" 2)$basis"
  done < <(tail -n +2 <<<"$1" | tr '\t' '|')
}

# the fields of metric $2 in one check of judge_records ($1), separated by |
metric_of() {
  grep "^$2"$'\t' <<<"$1" | tr '\t' '|'
}

faults() {
  local body=$1 url=${TRAFFIC_URL%/traffic}/faults out
  say "   \$ curl -X POST $url -d '$body'"
  out=$(curl -sS --max-time 5 -X POST -d "$body" "$url") || fail "no answer from the playground's faults at $url"
  ok "the playground answers $out"
}

autopilot_done=0
if [[ -z $PROMETHEUS_URL || -z $TRAFFIC_URL ]]; then
  title "The autopilot (skipped)"
  say "   skipped: it needs the playground's traffic view (TRAFFIC_URL) and Prometheus (PROMETHEUS_URL)"
else
  interval_s=$(seconds "$autopilot_interval")
  # a step takes an interval; a rollback takes failureThreshold (2) failed checks, an interval apart
  step_timeout=$((timeout + 2 * interval_s))

  title "Autopilot: a canary of $ns/$autopilot_name that steps 1 -> 5 -> 10 -> 25 -> 50 % on its own"
  curl -sf --max-time 5 -o /dev/null "$PROMETHEUS_URL/-/ready" ||
    fail "no Prometheus answers at $PROMETHEUS_URL (bin/playground starts one when prometheus is installed:" \
      "apt-get install prometheus); set PROMETHEUS_URL= to skip the autopilot part"
  ok "Prometheus at $PROMETHEUS_URL scrapes the simulated traffic's Istio metrics"
  if k get canary "$autopilot_name" -n "$ns" -o name >/dev/null 2>&1; then
    fail "a Canary $ns/$autopilot_name already exists; remove it first: kubectl delete canary $autopilot_name -n $ns"
  fi
  avs_before=$(k get virtualservice "$autopilot_name" -n "$ns" -o 'jsonpath={.spec}') ||
    fail "no VirtualService $ns/$autopilot_name (the playground seeds it)"
  manifest=$(sed -e "s|^\(    interval:\).*|\1 $autopilot_interval|" \
    -e "s|^\(      prometheus:\) *[^ ]*|\1 $PROMETHEUS_URL|" "$root/$autopilot_file")
  say "   \$ kubectl apply -f $autopilot_file   # with interval $autopilot_interval and this Prometheus:"
  grep -E '^  autopilot:|^    (steps|interval|onComplete):|^      (prometheus|successRate|latencyP99|failureThreshold):' \
    <<<"$manifest" | sed -e 's/ *#.*//' -e 's/^/   | /'
  started=1
  started_name=$autopilot_name
  k apply -f - <<<"$manifest" | sed 's/^/   /'
  wait_routes "stable=99 canary=1" "$autopilot_name"
  ok "VirtualService $autopilot_name routes: stable 99, canary 1 (the first step)"
  wait_routes "stable=19 canary=1" "$autopilot_name" "$step_timeout"
  ok "after an interval with a passing analysis, the autopilot stepped to 5 %: stable 19, canary 1"
  wait_routes "stable=9 canary=1" "$autopilot_name" "$step_timeout"
  ok "and to 10 %: stable 9, canary 1"
  say "   last analysis: $(last_analysis)"
  "$root/bin/kubectl-canary" status "$autopilot_name" -n "$ns" | sed 's/^/   /'

  title "Break the canary: 30 % of its requests answer 503"
  faults '{"canaryErrorRate": 0.3}'
  say "   waiting for the analysis to fail twice in a row (failureThreshold: 2)..."
  deadline=$((SECONDS + step_timeout + interval_s))
  while :; do
    have=$(phase_weight 2>/dev/null) || have="(unreadable)"
    [[ $have == "Aborted 0" || $have == "Aborted 0.0" ]] && break
    ((SECONDS < deadline)) || fail "Canary $ns/$autopilot_name reads phase/weight '$have', expected 'Aborted 0'"
    sleep 0.5
  done
  ok "phase Aborted, status.weight 0: the autopilot rolled the canary back on its own"
  # all to stable: the stable subset alone, or beside the canary at weight 0
  wait_routes "~^stable=[0-9]*( canary=0)?$" "$autopilot_name"
  ok "VirtualService $autopilot_name routes read '$(routes "$autopilot_name")': every request to stable, none to the canary"
  say "   last analysis: $(last_analysis)"
  say "   Autopilot condition: $(k get canary "$autopilot_name" -n "$ns" \
    -o 'jsonpath={.status.conditions[?(@.type=="Autopilot")].reason}: {.status.conditions[?(@.type=="Autopilot")].message}')"

  title "Heal the canary and stop it"
  faults '{"canaryErrorRate": 0}'
  say "   \$ kubectl delete canary $autopilot_name -n $ns --wait"
  k delete canary "$autopilot_name" -n "$ns" --wait=true --timeout="${timeout}s" | sed 's/^/   /' ||
    fail "the Canary $autopilot_name was not gone within ${timeout}s"
  started=0
  avs_after=$(k get virtualservice "$autopilot_name" -n "$ns" -o 'jsonpath={.spec}')
  [[ $avs_after == "$avs_before" ]] ||
    fail "VirtualService $ns/$autopilot_name differs from before:"$'\n'"  before: $avs_before"$'\n'"  after:  $avs_after"
  ok "Canary gone; VirtualService $autopilot_name spec exactly as before: $avs_after"

  # -------------------------------------------------------------------------------------------------------------------
  # Compare mode: the judge, canary against stable

  title "Compare mode: $ns/$slower_name's v2 is 30 % slower than v1, $ns/$equal_name's as fast; both judged against stable"
  for c in "$slower_name" "$equal_name"; do
    if k get canary "$c" -n "$ns" -o name >/dev/null 2>&1; then
      fail "a Canary $ns/$c already exists; remove it first: kubectl delete canary $c -n $ns"
    fi
  done
  svs_before=$(k get virtualservice "$slower_name" -n "$ns" -o 'jsonpath={.spec}') ||
    fail "no VirtualService $ns/$slower_name (the playground seeds it)"
  evs_before=$(k get virtualservice "$equal_name" -n "$ns" -o 'jsonpath={.spec}') ||
    fail "no VirtualService $ns/$equal_name (the playground seeds it)"
  started=1
  started_name="$slower_name $equal_name"
  for file in "$slower_file" "$equal_file"; do
    say "   \$ kubectl apply -f $file"
    manifest=$(sed -e "s|^\(      prometheus:\) *[^ ]*|\1 $PROMETHEUS_URL|" "$root/$file")
    k apply -f - <<<"$manifest" | sed 's/^/   /'
  done
  say "   both (the $slower_name canary also has the annotation playground.serin.dev/latency-factor: \"1.3\"):"
  grep -E '^    (steps|interval):|^      (successRate|latencyP99|judge|minRequests|failureThreshold):|^        compare:' \
    <<<"$manifest" | sed -e 's/ *#.*//' -e 's/^/   | /'
  wait_routes "stable=9 canary=1" "$slower_name"
  wait_routes "stable=9 canary=1" "$equal_name"
  ok "VirtualServices $slower_name and $equal_name route 10 % to their canaries (the first step)"

  title "The judge: $slower_name's canary is High on latency, and the autopilot rolls it back"
  say "   waiting for the first check, an interval (20 s) after the routes carry 10 %..."
  deadline=$((SECONDS + timeout + 40))
  while :; do
    have=$(phase_weight_of "$slower_name" 2>/dev/null) || have="(unreadable)"
    [[ $have == "Aborted 0" || $have == "Aborted 0.0" ]] && break
    ((SECONDS < deadline)) || fail "Canary $ns/$slower_name reads phase/weight '$have', expected 'Aborted 0'"
    sleep 0.5
  done
  ok "$slower_name: phase Aborted, status.weight 0: the judge failed the check and the autopilot rolled the canary back"
  wait_routes "~^stable=[0-9]*( canary=0)?$" "$slower_name"
  ok "VirtualService $slower_name routes read '$(routes "$slower_name")': every request to stable"
  record=$(judge_records "$slower_name" | last_record)
  show_record "$record"
  latency=$(metric_of "$record" latencyP99) || fail "no latencyP99 in $slower_name's last analysis"
  IFS='|' read -r _ class canary_n _ stable_n _ effect _ lower _ <<<"$latency"
  [[ $class == High ]] || fail "$slower_name's latencyP99 is '$class', expected High"
  above "$effect" 1.05 || fail "$slower_name's latencyP99 effect size is '$effect', expected at least 1.05"
  above "$lower" 0 || fail "$slower_name's latencyP99 shift interval starts at '$lower', expected above 0"
  ok "$slower_name: latencyP99 High on $canary_n canary and $stable_n stable samples: effect size $(round "$effect" 2)" \
    "(at least allowedIncrease 1.05), shift interval above 0"
  say "   Autopilot condition: $(k get canary "$slower_name" -n "$ns" \
    -o 'jsonpath={.status.conditions[?(@.type=="Autopilot")].reason}: {.status.conditions[?(@.type=="Autopilot")].message}')"

  title "Beside it, $equal_name's canary, as fast as stable, steps on"
  # 25 %, or already 50 % when checkout needed a second check (at 25 %) to be judged High
  wait_routes "~^stable=(3|1) canary=1$" "$equal_name" "$((timeout + 40))"
  ok "after a passing check the autopilot stepped $equal_name on from 10 %: routes $(routes "$equal_name")," \
    "status.weight $(k get canary "$equal_name" -n "$ns" -o 'jsonpath={.status.weight}') %"
  record=$(judge_records "$equal_name" | passed_record)
  [[ -n $record ]] || fail "$equal_name has no passing analysis in status"
  show_record "$record"
  latency=$(metric_of "$record" latencyP99) || fail "no latencyP99 in $equal_name's passing analysis"
  IFS='|' read -r _ class canary_n _ stable_n _ effect _ <<<"$latency"
  [[ $class == Pass ]] || fail "$equal_name's latencyP99 is '$class', expected Pass"
  ok "$equal_name: latencyP99 Pass on $canary_n canary and $stable_n stable samples: effect size $(round "$effect" 2)"
  "$root/bin/kubectl-canary" status -n "$ns" | sed 's/^/   /'

  title "Stop both"
  say "   \$ kubectl delete canary $slower_name $equal_name -n $ns --wait"
  k delete canary "$slower_name" "$equal_name" -n "$ns" --wait=true --timeout="${timeout}s" | sed 's/^/   /' ||
    fail "the Canaries $slower_name and $equal_name were not gone within ${timeout}s"
  started=0
  [[ $(k get virtualservice "$slower_name" -n "$ns" -o 'jsonpath={.spec}') == "$svs_before" ]] ||
    fail "VirtualService $ns/$slower_name differs from before the tour"
  [[ $(k get virtualservice "$equal_name" -n "$ns" -o 'jsonpath={.spec}') == "$evs_before" ]] ||
    fail "VirtualService $ns/$equal_name differs from before the tour"
  ok "Canaries gone; VirtualServices $slower_name and $equal_name exactly as before"
  autopilot_done=1
fi

echo
if [[ $autopilot_done == 1 ]]; then
  echo "Tour complete: 3 % -> 0.5 % -> 25 % -> 0 % with a tester header -> stopped; autopilot 1 % -> 5 % -> 10 % -> faults -> rolled back to 0" \
    "(Aborted) -> stopped; compare mode: $slower_name 30 % slower -> latencyP99 High -> rolled back," \
    "$equal_name as fast -> stepped on from 10 %; every step checked."
else
  echo "Tour complete: 3 % -> 0.5 % -> 25 % -> 0 % with a tester header -> stopped, every step checked (autopilot" \
    "part skipped)."
fi
