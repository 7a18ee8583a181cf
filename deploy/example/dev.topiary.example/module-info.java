/** The embedding example: load a Topiary model and predict, on nothing but the JDK and Topiary's core. */
module dev.topiary.example {
  requires dev.topiary.core;
}
