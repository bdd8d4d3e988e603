// completion.hpp — `intransit completion bash|zsh|fish`: a shell completion script generated
// from the command line's own CLI11 definitions, so a new subcommand, option or choice appears
// in it by itself. bash: a `complete -F` function (bash-completion's _init_completion when
// present); zsh: the same function through zsh's bashcompinit; fish: `complete -c` lines.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace intransit::cli {

// "" for an unknown shell.
std::string completion_script(const CLI::App& app, const std::string& shell);

struct CompletionArgs {
  std::string shell;
};

CLI::App* add_completion_command(CLI::App& app, CompletionArgs& args);

}  // namespace intransit::cli
