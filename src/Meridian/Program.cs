// Placeholder entry point so that the solution builds on this branch; the CLI and role composition
// arrive from main, whose Program.cs replaces this file on merge.
return 0;
