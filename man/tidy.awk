# Drops the paragraph macros scdoc writes where no paragraph starts (right
# after .TH, .SH or .SS, right before .SH or .SS, a second one in a row, one
# at the end), which `mandoc -T lint` reports as "skipping paragraph macro",
# and moves one written just before .RE (the end of an indented block) after
# it, where the next paragraph starts.
# Usage: awk -f tidy.awk PAGE > TIDY-PAGE
function heading(line) { return line ~ /^\.(SH|SS|TH)( |$)/ }
{
  if ($0 == ".P") {
    if (!heading(last)) held = 1
    next
  }
  if (held && $0 == ".RE") {
    print
    last = $0
    next
  }
  if (held) {
    held = 0
    if (!heading($0)) print ".P"
  }
  print
  last = $0
}
