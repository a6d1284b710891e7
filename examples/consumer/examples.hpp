#pragma once
// The consumer's checks, one per module; each prints what it made and returns whether it is
// what the comments say.
bool image_example();
bool trainer_example();
