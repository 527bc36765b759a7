#!/bin/sh
# reproduce.sh: regenerates the data of every figure of the paper (Figs.
# 3-12, Ali et al., "Magnetic dipolar quantum battery with spin-orbit
# coupling") with the nmrc commands and draws each as a PNG with gnuplot, in
# the paper's panel layout.  Every run sets all model parameters explicitly
# (--set), so the numbers do not depend on the spec's defaults.
#   usage: examples/paper/reproduce.sh [OUTDIR]        (default out/paper)
#   env:   NMRC=path/to/nmrc (default: nmrc on PATH, else build/nmrc)
# Results: OUTDIR/figNN/*.csv (data), *.log (the commands' summaries),
# OUTDIR/figNN.png.  See docs/paper-reproduction.md for the comparison.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${1:-out/paper}
if [ -z "${NMRC:-}" ]; then
    NMRC=$(command -v nmrc || true)
    [ -n "$NMRC" ] || NMRC="$ROOT/build/nmrc"
fi
[ -x "$NMRC" ] || { echo "reproduce.sh: no nmrc program (set NMRC=...)" >&2; exit 1; }
command -v gnuplot >/dev/null || { echo "reproduce.sh: gnuplot not found" >&2; exit 1; }
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# The spec of figure NN if the project has one, else the battery example
# (same parameter names: B D G Delta eps T w tmax nt gamma).  Fig. 3 needs
# the product state |00> (see below): made from the battery example.
spec() {
    if [ -f "$HERE/fig$1.spin" ]; then
        echo "$HERE/fig$1.spin"
    elif [ "$1" = 03 ]; then
        mkdir -p "$OUT/fig03"
        sed -e 's/^initial gibbs/initial product "00"/' -e 's/^evolve 0 : 10 : 201/evolve 0 : 10 : 2001/' \
            "$ROOT/examples/battery.spin" > "$OUT/fig03/fig03.spin"
        echo "$OUT/fig03/fig03.spin"
    else
        echo "$ROOT/examples/battery.spin"
    fi
}

# run FIG NAME COMMAND ARGS...: one nmrc run, CSV and summary into OUT/figFIG/.
run() {
    fig=$1 name=$2 cmd=$3
    shift 3
    mkdir -p "$OUT/fig$fig"
    log="$OUT/fig$fig/$name.log"
    if ! "$NMRC" "$cmd" "$(spec "$fig")" "$@" --csv "$OUT/fig$fig/$name.csv" 2> "$log"; then
        echo "reproduce.sh: fig. $fig ($name): nmrc $cmd failed:" >&2
        cat "$log" >&2
        exit 1
    fi
}

# ---- Data -----------------------------------------------------------------

# Figs. 3 and 4: fifteen panels (a-o), three parameter sets per row.
# Fig. 3: the paper does not state the initial state of its "Lindbladian
# dynamics at absolute zero"; |00> is the one that shows what its text
# describes (collapse and revival faster with eps, B and G; no effect of
# Delta, whose term is constant on span{|00>,|11>}).  Fig. 4 sweeps the
# Gibbs state's temperature.
panels() { # FIG COMMAND EPS_OF_PANELS_M_TO_O EXTRA...
    fig=$1 cmd=$2 m_eps=$3
    shift 3
    for v in a:eps=0.1 b:eps=0.5 c:eps=10; do
        run "$fig" "${v%%:*}" "$cmd" "$@" --set "${v#*:}" --set Delta=0 --set B=0 --set D=0 --set G=0
    done
    for v in d:B=0.1 e:B=1 f:B=10; do
        run "$fig" "${v%%:*}" "$cmd" "$@" --set "${v#*:}" --set Delta=1 --set eps=0.5 --set D=0 --set G=0
    done
    for v in g:D=0.1 h:D=1 i:D=10; do
        run "$fig" "${v%%:*}" "$cmd" "$@" --set "${v#*:}" --set Delta=1 --set eps=0.5 --set B=0 --set G=0
    done
    for v in j:G=0.1 k:G=1 l:G=10; do
        run "$fig" "${v%%:*}" "$cmd" "$@" --set "${v#*:}" --set Delta=1 --set eps=0.5 --set B=0 --set D=0
    done
    for v in m:Delta=0.1 n:Delta=1 o:Delta=10; do
        run "$fig" "${v%%:*}" "$cmd" "$@" --set "${v#*:}" --set eps="$m_eps" --set B=0 --set D=0 --set G=0
    done
}
fig3_4() {
    # Fig. 3 (m-o) uses eps = 0.1, Fig. 4 (m-o) eps = 0.5 (captions).
    panels 03 dephase 0.1 --set gamma=0.2
    panels 04 thermal 0.5 --sweep T=0.01:5:250
}

# Figs. 5-9: charging curves for five values of one parameter.
curves() { # FIG PARAM "V1 V2 V3 V4 V5" FIXED...
    fig=$1 par=$2 vals=$3
    shift 3
    k=1
    for v in $vals; do
        run "$fig" "v$k" battery --set "$par=$v" "$@" --set w=1 --set tmax=pi --set nt=1001
        k=$((k + 1))
    done
}

fig5_9() {
    curves 05 Delta "1 2 4 6 12" --set G=0 --set D=0 --set B=0 --set eps=0.1 --set T=1
    curves 06 B "0 0.5 1 1.5 2" --set G=0 --set D=0 --set Delta=1 --set T=0.5 --set eps=0.1
    curves 07 T "0.5 1 1.5 2 4" --set G=0 --set D=0 --set B=0 --set Delta=1 --set eps=0.1
    curves 08 G "0 0.1 0.5 1 2" --set D=0 --set B=0 --set Delta=1 --set T=0.5 --set eps=0.5
    curves 09 D "0 0.1 0.5 1 2" --set G=0 --set B=0 --set Delta=1 --set T=0.5 --set eps=0.5
}

# Figs. 10-12: time-optimized maps (grid ranges are not stated in the paper;
# see docs/paper-reproduction.md for the choice).
fig10_12() {
    run 10 map map --sweep Delta=-10:10:201 --sweep eps=-10:10:201 --set D=0 --set G=0 --set B=0 \
        --set T=1 --set w=1 --set tmax=pi --set nt=1001
    run 11 map map --sweep D=-20:20:201 --sweep G=-20:20:201 --set Delta=-1 --set eps=0.5 \
        --set T=1 --set B=0 --set w=1 --set tmax=pi --set nt=1001
    run 12 map map --sweep T=0.01:5:201 --sweep B=0:1:201 --set Delta=0.1 --set eps=0.1 \
        --set D=0 --set G=0 --set w=1 --set tmax=pi --set nt=1001
}

# ---- Plots ----------------------------------------------------------------

GP_HEAD='set datafile separator ","
set terminal pngcairo size 1200,900 font "Sans,10"
set grid lc rgb "#dddddd"
set key top right spacing 0.9 samplen 2'

# Figs. 3/4: 5 x 3 panels with discord, concurrence and coherence.
plot_resources() { # FIG XLABEL "TITLE_a" ... "TITLE_o"
    fig=$1 xlabel=$2
    shift 2
    n=$(echo "$fig" | sed 's/^0//')
    {
        echo "$GP_HEAD"
        echo "set terminal pngcairo size 1200,1500 font 'Sans,9'"
        echo "set output '$OUT/fig$fig.png'"
        echo "set multiplot layout 5,3 title 'Fig. $n: discord D, concurrence E and l1 coherence C (nmrc)'"
        echo "set xlabel '$xlabel'"
        echo "set yrange [0:*]"
        for p in a b c d e f g h i j k l m n o; do
            echo "set title '($p) $1'"
            echo "plot '$OUT/fig$fig/$p.csv' skip 1 using 1:3 w l lw 2 lc rgb '#1f77b4' t 'D', \
'' skip 1 using 1:4 w l lw 2 lc rgb '#d62728' t 'E', '' skip 1 using 1:2 w l lw 2 lc rgb 'black' t 'C'"
            shift
        done
        echo "unset multiplot"
    } | gnuplot
}

# Figs. 5-9: 2 x 2 panels, five curves each.
plot_curves() { # FIG TITLE LABEL "V1..V5" "COLOR1..COLOR5"
    fig=$1 title=$2 label=$3 vals=$4 colors=$5
    n=$(echo "$fig" | sed 's/^0//')
    {
        echo "$GP_HEAD"
        echo "set output '$OUT/fig$fig.png'"
        echo "set multiplot layout 2,2 title 'Fig. $n: $title (nmrc)'"
        echo "set xlabel 'ωt'"
        echo "set xrange [0:pi]"
        echo "set key outside right top vertical"
        col=3
        for what in "(a) ergotropy ξ" "(b) anti-ergotropy P" "(c) capacity Q" "(d) l1 coherence C"; do
            echo "set title '$what'"
            line="plot "
            k=1
            for v in $vals; do
                c=$(echo "$colors" | cut -d' ' -f$k)
                [ $k -gt 1 ] && line="$line, "
                line="$line'$OUT/fig$fig/v$k.csv' skip 1 using 1:$col w l lw 2 lc rgb '$c' t '$label = $v'"
                k=$((k + 1))
            done
            echo "$line"
            col=$((col + 1))
        done
        echo "unset multiplot"
    } | gnuplot
}

# Figs. 10-12: 2 x 2 density maps.
plot_map() { # FIG XLABEL YLABEL TITLE
    fig=$1 xl=$2 yl=$3 title=$4
    n=$(echo "$fig" | sed 's/^0//')
    {
        echo "$GP_HEAD"
        echo "set output '$OUT/fig$fig.png'"
        echo "set multiplot layout 2,2 title 'Fig. $n: $title (nmrc)'"
        echo "set xlabel '$xl'; set ylabel '$yl'; unset grid"
        echo "set palette defined (0 '#2c0a4a', 1 '#3b4cc0', 2 '#6fc0a0', 3 '#f7e15a', 4 '#d7301f')"
        echo "set autoscale xfix; set autoscale yfix"
        for pc in "(a) max_t ergotropy ξ:3" "(b) min_t anti-ergotropy P:5" "(c) capacity Q:6" \
                  "(d) max_t l1 coherence C:7"; do
            echo "set title '${pc%:*}'"
            echo "plot '$OUT/fig$fig/map.csv' skip 1 using 1:2:${pc##*:} with image notitle"
        done
        echo "unset multiplot"
    } | gnuplot
}

plots() {
    plot_resources 03 "ωt" "ε = 0.1" "ε = 0.5" "ε = 10" "B = 0.1" "B = 1" "B = 10" \
        "D = 0.1" "D = 1" "D = 10" "G = 0.1" "G = 1" "G = 10" "Δ = 0.1" "Δ = 1" "Δ = 10"
    plot_resources 04 "T/ω" "ε = 0.1" "ε = 1" "ε = 10" "B = 0.1" "B = 1" "B = 10" \
        "D = 0.1" "D = 1" "D = 10" "G = 0.1" "G = 1" "G = 10" "Δ = 0.1" "Δ = 1" "Δ = 10"
    plot_curves 05 "axial anisotropy (G = D = B = 0, ε = 0.1, T = 1)" "Δ" "1 2 4 6 12" \
        "gray red black #2ca02c blue"
    plot_curves 06 "magnetic field (G = D = 0, Δ = 1, T = 0.5, ε = 0.1)" "B" "0 0.5 1 1.5 2" \
        "black red #2ca02c blue magenta"
    plot_curves 07 "temperature (G = D = B = 0, Δ = 1, ε = 0.1)" "T" "0.5 1 1.5 2 4" \
        "gray red black #2ca02c blue"
    plot_curves 08 "KSEA interaction (D = B = 0, Δ = 1, T = ε = 0.5)" "G" "0 0.1 0.5 1 2" \
        "gray red black #2ca02c blue"
    plot_curves 09 "DM interaction (G = B = 0, Δ = 1, T = ε = 0.5)" "D" "0 0.1 0.5 1 2" \
        "gray red black #2ca02c blue"
    plot_map 10 "Δ/ω" "ε/ω" "Δ and ε (D = G = B = 0, T = 1)"
    plot_map 11 "D/ω" "G/ω" "DM and KSEA (Δ = -1, ε = 0.5, T = 1, B = 0)"
    plot_map 12 "T/ω" "B/ω" "temperature and field (Δ = ε = 0.1, D = G = 0)"
}

fig3_4
fig5_9
fig10_12
plots
echo "reproduce.sh: data and figures in $OUT" >&2
