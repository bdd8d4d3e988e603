// render_main.cpp — bench_report FILE... -o PAGE: the body of `intransit report` (read every
// file into a Collection, render, write) without the command line, so the benchmark can be built
// in Release from the renderer library alone (bench/report/run; never a test).
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "report/html/render.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> inputs;
  std::string output;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-o" && i + 1 < argc)
      output = argv[++i];
    else
      inputs.push_back(a);
  }
  if (inputs.empty() || output.empty()) {
    std::cerr << "usage: bench_report FILE... -o PAGE\n";
    return 2;
  }
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  intransit::report::html::Collection c;
  try {
    for (const auto& f : inputs) c.read(f);
  } catch (const intransit::report::html::InputError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  const auto t1 = clock::now();
  const auto page = intransit::report::html::render_report(c, {});
  const auto t2 = clock::now();
  std::ofstream(output, std::ios::binary)
      .write(page.data(), static_cast<std::streamsize>(page.size()));
  const auto t3 = clock::now();
  const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::cerr << "read+parse " << ms(t1 - t0) << " ms, render " << ms(t2 - t1) << " ms, write "
            << ms(t3 - t2) << " ms, " << c.domains.size() << " domains, " << page.size()
            << " bytes\n";
  return 0;
}
