/*
** xml_write_meta.c: the metadata of a sequence file (docs/xml-format.md):
** the conventions every file states about itself, the target, the natural
** and the whole spin system, channels, TopSpin parameters, phase lists,
** shapes, the experiment set and analysis figures, printed for xml_write.c.
*/
#include "xml_write.h"

#include "nmrc/consts.h"

/* ---- Conventions ------------------------------------------------------- */

/* The sentences of nmrc:conventions, in schema order: what an importer
** needs to run the file without nmrc (sequences/nmrc-seq.xsd says the same
** in its documentation). */
static const struct {
    const char *tag, *text;
} conventions[] = {
    {"units", "Times in s, angles and phases in rad, RF amplitudes as nutation frequencies in "
              "Hz, gradients in T/m; Hamiltonians in rad/s in Pauli units (X, Y, Z with "
              "eigenvalues +-1, hbar = 1); spin 0 is the leftmost tensor factor and |0> is spin "
              "up (Z = +1)."},
    {"rotation", "A pulse of flip angle theta (nmrc:angle) and phase phi applies "
                 "U = exp(-i theta (cos(phi) X + sin(phi) Y)/2) to every spin of its channel's "
                 "nucleus in that channel's rotating frame: the Bloch vector turns right-handed "
                 "by theta about (cos(phi), sin(phi), 0), so 90 degrees at phase x takes +z to "
                 "-y and at phase y takes +z to +x."},
    {"phases", "Phases x, y, -x, -y are 0, 90, 180, 270 degrees (Bruker Phase quadrants 0, 1, 2, "
               "3). At scan k a pulse's phase is nmrc:phase plus entry k mod n of its phase list "
               "(nmrc:list), plus its experiment's offset on the channel (nmrc:experiment)."},
    {"virtualZ", "nmrc:vz of phase a on a channel applies exp(-i a Z/2) to the channel's spins: "
                 "every later pulse phase on the channel, and the receiver phase of an "
                 "acquisition on it, shifts by -a. nmrc:phase excludes that shift; the Bruker "
                 "Phase values of HF_PULSE and ACQ_MULTI include it (inside a loop whose body "
                 "leaves a net virtual-Z they are those of the first pass, as a comment there "
                 "says)."},
    {"timing", "Events run in document order and nmrc:loop repeats its body count times. The "
               "pulses of one nmrc:simultaneous start together; the event lasts nmrc:duration "
               "and each HF_PULSE's Bruker Duration is that pulse's own length, "
               "theta/(2 pi nmrc:amplitude), or the event's when nmrc:amplitude is 0. "
               "nmrc:duration 0 is an ideal (delta) pulse, instantaneous, its angle in "
               "FlipAngle; played on a spectrometer it lasts theta/(pi/2) times the channel's "
               "rf90."},
    {"naturalNumbers", "nmrc:natural: the natural Hamiltonian the sequence was compiled for, in "
                       "the doubly rotating frame, is H = kappa Z(x)Z + sum_c O_c Z_c (rad/s), "
                       "kappa = pi J/2 for a scalar coupling J in Hz; its 8 numbers are O_0..O_7, "
                       "O_c = pi times the offset in Hz of the spin on the c-th nmrc:channel "
                       "(counting gradient channels; 0 for those and for unused slots)."},
    {"targetNumbers", "nmrc:target: H = sum_ab T_ab sigma_a(x)sigma_b + sum_i f_i.sigma(i) "
                      "(rad/s), realized in `time` s; nmrc:coupling is T row-major (a, b in x, "
                      "y, z), nmrc:field spin=i is f_i, spin i being the spin of the i-th RF "
                      "channel."},
    {"spinSystem", "nmrc:system: every spin of the sample (offset from its channel's carrier in "
                   "Hz, T1, T2, p90 in s, absent = not given), driven by the RF channel with its "
                   "nucleus; nmrc:couple between spins i < j (0-based): J in Hz is (pi J/2) ZZ "
                   "between different nuclei and (pi J/2)(XX+YY+ZZ) between equal ones, dipolar "
                   "b in Hz is pi b ZZ, respectively (pi b/2)(2ZZ-XX-YY); weak=true gives equal "
                   "nuclei the ZZ forms too; field is B0 in T."},
    {"brukerView", "The Bruker elements and blocks describe the program for other software; the "
                   "nmrc:* attributes hold the exact values nmrc reads. Atten names the "
                   "channel's power level PLk in dB (nmrc:amplitude is the calibrated "
                   "amplitude); FlipAngle is in degrees."},
};

static void write_conventions(nmrc_text *t)
{
    nmrc_text_printf(t, "  <nmrc:conventions>\n");
    for (size_t i = 0; i < sizeof conventions / sizeof conventions[0]; i++) {
        nmrc_text_printf(t, "    <nmrc:%s>", conventions[i].tag);
        nmrc_text_escape(t, conventions[i].text, 0);
        nmrc_text_printf(t, "</nmrc:%s>\n", conventions[i].tag);
    }
    nmrc_text_printf(t, "  </nmrc:conventions>\n");
}

/* ---- Target, natural and spin system ----------------------------------- */

static void write_target(nmrc_text *t, const nmrc_seq *seq)
{
    if (!seq->has_target) {
        if (seq->target_op[0]) {
            nmrc_text_printf(t, "  <nmrc:target");
            nmrc_text_attr_str(t, "operation", seq->target_op);
            nmrc_text_printf(t, "/>\n");
        }
        return;
    }
    nmrc_text_printf(t, "  <nmrc:target spins=\"%zu\"", seq->target_spins);
    nmrc_text_attr_num(t, "time", seq->target_time);
    if (seq->target_op[0])
        nmrc_text_attr_str(t, "operation", seq->target_op);
    nmrc_text_printf(t, ">\n    <nmrc:coupling>");
    nmrc_text_num_list(t, seq->target_tensor, 9);
    nmrc_text_printf(t, "</nmrc:coupling>\n");
    for (size_t s = 0; s < NMRC_MAX_SPINS; s++) {
        const double *f = seq->target_field[s];
        if (f[0] == 0 && f[1] == 0 && f[2] == 0)
            continue;
        nmrc_text_printf(t, "    <nmrc:field spin=\"%zu\">", s);
        nmrc_text_num_list(t, f, 3);
        nmrc_text_printf(t, "</nmrc:field>\n");
    }
    nmrc_text_printf(t, "  </nmrc:target>\n");
}

static void write_natural(nmrc_text *t, const nmrc_seq *seq)
{
    int natural = seq->nat_kappa != 0;
    for (int c = 0; c < NMRC_SEQ_MAX_CHANNELS; c++)
        natural |= seq->nat_offset[c] != 0;
    if (!natural)
        return;
    nmrc_text_printf(t, "  <nmrc:natural");
    nmrc_text_attr_num(t, "kappa", seq->nat_kappa);
    nmrc_text_printf(t, ">");
    nmrc_text_num_list(t, seq->nat_offset, NMRC_SEQ_MAX_CHANNELS);
    nmrc_text_printf(t, "</nmrc:natural>\n");
}

/* ` name="x"` when x is nonzero (absent means "not given"). */
static void attr_nonzero(nmrc_text *t, const char *name, double x)
{
    if (x != 0)
        nmrc_text_attr_num(t, name, x);
}

static void write_system(nmrc_text *t, const nmrc_seq_system *sys)
{
    if (sys->n_spins == 0)
        return;
    nmrc_text_printf(t, "  <nmrc:system");
    attr_nonzero(t, "field", sys->b0);
    nmrc_text_printf(t, ">\n");
    for (size_t i = 0; i < sys->n_spins; i++) {
        const nmrc_seq_spin *s = &sys->spins[i];
        nmrc_text_printf(t, "    <nmrc:spin");
        nmrc_text_attr_str(t, "label", s->label);
        nmrc_text_attr_str(t, "nucleus", s->nucleus);
        nmrc_text_attr_num(t, "offset", s->offset_hz);
        attr_nonzero(t, "T1", s->t1);
        attr_nonzero(t, "T2", s->t2);
        attr_nonzero(t, "p90", s->p90);
        nmrc_text_printf(t, "/>\n");
    }
    for (size_t c = 0; c < sys->n_couplings; c++) {
        const nmrc_seq_coupling *p = &sys->couplings[c];
        nmrc_text_printf(t, "    <nmrc:couple i=\"%d\" j=\"%d\"", p->i, p->j);
        nmrc_text_attr_num(t, "J", p->j_hz);
        attr_nonzero(t, "dipolar", p->dipolar_hz);
        if (p->weak)
            nmrc_text_printf(t, " weak=\"true\"");
        nmrc_text_printf(t, "/>\n");
    }
    nmrc_text_printf(t, "  </nmrc:system>\n");
}

/* ---- Channels and tables ------------------------------------------------ */

static void write_channels(nmrc_text *t, const nmrc_seq *seq)
{
    for (size_t i = 0; i < seq->n_channels; i++) {
        const nmrc_channel *c = &seq->channels[i];
        nmrc_text_printf(t, "  <nmrc:channel");
        nmrc_text_attr_str(t, "name", c->name);
        if (c->kind == NMRC_CHAN_RF) {
            nmrc_text_printf(t, " type=\"rf\"");
            nmrc_text_attr_str(t, "nucleus", c->nucleus);
            nmrc_text_attr_num(t, "rf90", c->rf90);
        } else {
            nmrc_text_printf(t, " type=\"gradient\" axis=\"%c\"", c->axis);
        }
        nmrc_text_printf(t, "/>\n");
    }
}

static void write_params_lists(nmrc_text *t, const nmrc_seq *seq)
{
    for (size_t i = 0; i < seq->n_params; i++) {
        const nmrc_param *p = &seq->params[i];
        nmrc_text_printf(t, "  <nmrc:parameter");
        nmrc_text_attr_str(t, "name", p->name);
        nmrc_text_attr_num(t, "value", p->value);
        nmrc_text_attr_str(t, "unit", p->unit);
        if (p->comment[0])
            nmrc_text_attr_str(t, "comment", p->comment);
        nmrc_text_printf(t, "/>\n");
    }
    for (size_t i = 0; i < seq->n_phase_lists; i++) {
        const nmrc_phase_list *l = &seq->phase_lists[i];
        nmrc_text_printf(t, "  <nmrc:phaseList");
        nmrc_text_attr_str(t, "name", l->name);
        if ((int)i == seq->receiver_list)
            nmrc_text_printf(t, " receiver=\"true\"");
        nmrc_text_printf(t, ">");
        nmrc_text_num_list(t, l->phase, l->n);
        nmrc_text_printf(t, "</nmrc:phaseList>\n");
    }
}

static void write_shapes_experiments(nmrc_text *t, const nmrc_seq *seq)
{
    for (size_t i = 0; i < seq->n_shapes; i++) {
        const nmrc_shape *s = &seq->shapes[i];
        nmrc_text_printf(t, "  <nmrc:shape");
        nmrc_text_attr_str(t, "name", s->name);
        nmrc_text_printf(t, ">\n    <nmrc:amplitude>");
        nmrc_text_num_list(t, s->amp, s->n);
        nmrc_text_printf(t, "</nmrc:amplitude>\n    <nmrc:phase>");
        nmrc_text_num_list(t, s->phase, s->n);
        nmrc_text_printf(t, "</nmrc:phase>\n  </nmrc:shape>\n");
    }
    for (size_t i = 0; i < seq->n_experiments; i++) {
        const nmrc_experiment *x = &seq->experiments[i];
        nmrc_text_printf(t, "  <nmrc:experiment");
        nmrc_text_attr_num(t, "weight", x->weight);
        nmrc_text_printf(t, " prepend=\"%d\">", x->prepend);
        nmrc_text_num_list(t, x->phase_offset, NMRC_SEQ_MAX_CHANNELS);
        nmrc_text_printf(t, "</nmrc:experiment>\n");
    }
    for (size_t i = 0; i < seq->n_figures; i++) {
        const nmrc_figure *f = &seq->figures[i];
        nmrc_text_printf(t, "  <nmrc:figure");
        nmrc_text_attr_str(t, "name", f->name);
        nmrc_text_attr_num(t, "value", f->value);
        if (f->unit[0])
            nmrc_text_attr_str(t, "unit", f->unit);
        nmrc_text_printf(t, "/>\n");
    }
}

void nmrc_xmlw_meta(nmrc_text *t, const nmrc_seq *seq)
{
    write_conventions(t);
    write_target(t, seq);
    write_natural(t, seq);
    write_system(t, &seq->system);
    write_channels(t, seq);
    write_params_lists(t, seq);
    write_shapes_experiments(t, seq);
}
